// The hub format: OpenAI Chat Completions. Ingress protocols convert to it; egress adapters
// convert from it. Only the fields we read are typed; unknown fields pass through untouched.

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue }
export type JsonObject = { [key: string]: JsonValue }

export type TextContentPart = { type: 'text'; text: string }
export type ImageContentPart = {
  type: 'image_url'
  image_url: { url: string; detail?: 'auto' | 'low' | 'high' }
}
export type ContentPart = TextContentPart | ImageContentPart | ({ type: string } & JsonObject)

export type ToolCall = {
  id: string
  type: 'function'
  function: { name: string; arguments: string }
}

export type ChatMessage =
  | { role: 'system' | 'developer'; content: string | ContentPart[]; name?: string }
  | { role: 'user'; content: string | ContentPart[]; name?: string }
  | {
      role: 'assistant'
      content?: string | ContentPart[] | null
      tool_calls?: ToolCall[]
      name?: string
      refusal?: string | null
      /** Non-standard, used by DeepSeek / vLLM / OpenRouter for thinking text. */
      reasoning_content?: string | null
    }
  | { role: 'tool'; content: string | ContentPart[]; tool_call_id: string }

export type ToolDefinition = {
  type: 'function'
  function: { name: string; description?: string; parameters?: JsonObject; strict?: boolean }
}

export type ToolChoice = 'auto' | 'none' | 'required' | { type: 'function'; function: { name: string } }

export type ResponseFormat =
  | { type: 'text' }
  | { type: 'json_object' }
  | {
      type: 'json_schema'
      json_schema: { name: string; description?: string; schema?: JsonObject; strict?: boolean }
    }

export type ChatRequest = {
  model: string
  /** OpenRouter's convention: try these models in order. */
  models?: string[]
  messages: ChatMessage[]
  stream?: boolean
  stream_options?: { include_usage?: boolean }
  max_tokens?: number
  max_completion_tokens?: number
  temperature?: number
  top_p?: number
  n?: number
  stop?: string | string[]
  tools?: ToolDefinition[]
  tool_choice?: ToolChoice
  parallel_tool_calls?: boolean
  response_format?: ResponseFormat
  reasoning_effort?: string
  user?: string
  seed?: number
  [extra: string]: unknown
}

export type FinishReason = 'stop' | 'length' | 'tool_calls' | 'content_filter' | 'function_call'

export type CompletionUsage = {
  prompt_tokens: number
  completion_tokens: number
  total_tokens: number
  prompt_tokens_details?: { cached_tokens?: number; cache_write_tokens?: number }
  completion_tokens_details?: { reasoning_tokens?: number }
  /** Switchyard extension: what this request cost, in USD. */
  cost?: number
}

export type ChatCompletion = {
  id: string
  object: 'chat.completion'
  created: number
  model: string
  choices: Array<{
    index: number
    message: {
      role: 'assistant'
      content: string | null
      tool_calls?: ToolCall[]
      refusal?: string | null
      reasoning_content?: string
    }
    finish_reason: FinishReason | null
    logprobs?: unknown
  }>
  usage?: CompletionUsage
  system_fingerprint?: string | null
}

export type ToolCallDelta = {
  index: number
  id?: string
  type?: 'function'
  function?: { name?: string; arguments?: string }
}

export type ChatCompletionChunk = {
  id: string
  object: 'chat.completion.chunk'
  created: number
  model: string
  choices: Array<{
    index: number
    delta: {
      role?: 'assistant'
      content?: string | null
      tool_calls?: ToolCallDelta[]
      refusal?: string | null
      reasoning_content?: string
    }
    finish_reason: FinishReason | null
    logprobs?: unknown
  }>
  usage?: CompletionUsage | null
  system_fingerprint?: string | null
}

export type EmbeddingsRequest = {
  model: string
  input: string | string[] | number[] | number[][]
  encoding_format?: 'float' | 'base64'
  dimensions?: number
  user?: string
  [extra: string]: unknown
}

export type EmbeddingsResponse = {
  object: 'list'
  data: Array<{ object: 'embedding'; index: number; embedding: number[] | string }>
  model: string
  usage: { prompt_tokens: number; total_tokens: number; cost?: number }
}
