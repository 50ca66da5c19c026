const encoder = new TextEncoder()

/** One `data:` frame. JSON never contains a raw newline, so one data line is always enough. */
export function encodeSseData(value: unknown): Uint8Array {
  return encoder.encode(`data: ${JSON.stringify(value)}\n\n`)
}

/** A named event frame (Anthropic's SDK dispatches on the event name). */
export function encodeSseEvent(name: string, value: unknown): Uint8Array {
  return encoder.encode(`event: ${name}\ndata: ${JSON.stringify(value)}\n\n`)
}

export const sseDoneFrame: Uint8Array = encoder.encode('data: [DONE]\n\n')
