// The slice of Gemini's `GenerateContentRequest` we send. Field names are Gemini's REST (camelCase)
// names from the v1beta reference; everything we do not set is left out.

export type GeminiSchema = { [key: string]: unknown }

export type GeminiFunctionCall = { name: string; args: Record<string, unknown> }

export type GeminiPart =
  | { text: string; thought?: boolean }
  | { inlineData: { mimeType: string; data: string } }
  | { fileData: { mimeType: string; fileUri: string } }
  | { functionCall: GeminiFunctionCall; thoughtSignature?: string }
  | { functionResponse: { name: string; response: Record<string, unknown> } }

export type GeminiRole = 'user' | 'model'

export type GeminiContent = { role: GeminiRole; parts: GeminiPart[] }

export type GeminiFunctionDeclaration = {
  name: string
  description?: string
  parameters?: GeminiSchema
}

export type GeminiTool = { functionDeclarations: GeminiFunctionDeclaration[] }

export type GeminiToolConfig = {
  functionCallingConfig: { mode: 'AUTO' | 'ANY' | 'NONE'; allowedFunctionNames?: string[] }
}

export type GeminiThinkingConfig = { thinkingBudget: number; includeThoughts?: boolean }

export type GeminiGenerationConfig = {
  maxOutputTokens?: number
  temperature?: number
  topP?: number
  stopSequences?: string[]
  candidateCount?: number
  seed?: number
  responseMimeType?: string
  responseSchema?: GeminiSchema
  thinkingConfig?: GeminiThinkingConfig
}

export type GeminiRequest = {
  contents: GeminiContent[]
  systemInstruction?: { parts: Array<{ text: string }> }
  tools?: GeminiTool[]
  toolConfig?: GeminiToolConfig
  generationConfig?: GeminiGenerationConfig
}
