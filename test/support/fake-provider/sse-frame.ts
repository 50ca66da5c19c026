/** A data-only SSE frame (OpenAI, Gemini). */
export function dataFrame(payload: unknown): string {
  return `data: ${JSON.stringify(payload)}\n\n`
}

/** A named SSE frame; Anthropic's SDK dispatches on the event name, so it must be present. */
export function namedFrame(event: string, payload: unknown): string {
  return `event: ${event}\ndata: ${JSON.stringify(payload)}\n\n`
}

export const doneFrame = 'data: [DONE]\n\n'

export const sseHeaders = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache',
} as const
