import { afterAll, beforeEach, describe, expect, test } from 'bun:test'
import Anthropic from '@anthropic-ai/sdk'
import OpenAI from 'openai'
import { baseDirectives, readModelDirectives } from './fake-provider/fault-directives.ts'
import { startFakeProvider } from './fake-provider.ts'

const apiKey = 'sk-fake-secret-123'
const provider = startFakeProvider({ cutGraceMs: 20 })
const openai = new OpenAI({ apiKey, baseURL: `${provider.url}/v1`, maxRetries: 0 })
const anthropic = new Anthropic({ apiKey, baseURL: provider.url, maxRetries: 0 })

afterAll(() => provider.close())
beforeEach(() => provider.reset())

function chat(model: string, stream: boolean, signal?: AbortSignal): Promise<Response> {
  return fetch(`${provider.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
    body: JSON.stringify({ model, stream, messages: [{ role: 'user', content: 'a b c d e' }] }),
    ...(signal == null ? {} : { signal }),
  })
}

/** Reads a body to its end, returning what arrived and whether the connection broke. */
async function drain(response: Response): Promise<{ text: string; broken: boolean }> {
  const reader = (response.body as ReadableStream<Uint8Array>).getReader()
  const decoder = new TextDecoder()
  let text = ''
  try {
    for (;;) {
      const { done, value } = await reader.read()
      if (done) return { text, broken: false }
      text += decoder.decode(value, { stream: true })
    }
  } catch {
    return { text, broken: true }
  }
}

const countFrames = (text: string): number => text.split('\n\n').filter(Boolean).length

describe('status faults', () => {
  test('an enqueued 429 with retry-after-ms is retried by the SDK, then the call succeeds', async () => {
    provider.enqueue({ kind: 'status', status: 429, headers: { 'retry-after-ms': '10' } })
    const retrying = new OpenAI({ apiKey, baseURL: `${provider.url}/v1`, maxRetries: 1 })
    const completion = await retrying.chat.completions.create({
      model: 'fake-model',
      messages: [{ role: 'user', content: 'hi' }],
    })
    expect(completion.choices[0]?.message.content).toBe('echo: hi')
    expect(provider.requests).toHaveLength(2)
  })

  test('fail-500 in the model name answers each format with its own 500 body', async () => {
    const openaiError = await openai.chat.completions
      .create({ model: 'x-fail-500', messages: [{ role: 'user', content: 'hi' }] })
      .catch((error: unknown) => error)
    expect(openaiError).toBeInstanceOf(OpenAI.InternalServerError)
    const anthropicError = await anthropic.messages
      .create({ model: 'fail-500', max_tokens: 5, messages: [{ role: 'user', content: 'hi' }] })
      .catch((error: unknown) => error)
    expect(anthropicError).toBeInstanceOf(Anthropic.InternalServerError)
    expect((anthropicError as InstanceType<typeof Anthropic.APIError>).error).toMatchObject({
      type: 'error',
      error: { type: 'api_error' },
    })
    const gemini = await fetch(`${provider.url}/v1beta/models/fail-500:generateContent`, {
      method: 'POST',
      body: JSON.stringify({ contents: [] }),
    })
    expect(gemini.status).toBe(500)
    expect(await gemini.json()).toMatchObject({ error: { code: 500, status: 'INTERNAL' } })
  })

  test('fail-429 in the model name carries retry-after: 1', async () => {
    const response = await chat('fake-fail-429', false)
    expect(response.status).toBe(429)
    expect(response.headers.get('retry-after')).toBe('1')
    expect(await response.json()).toMatchObject({ error: { code: 'rate_limit_exceeded' } })
  })

  test('a default 401 echoes the key it received, so scrubbing can be tested', async () => {
    provider.setDefault({ kind: 'status', status: 401 })
    const response = await chat('fake-model', false)
    expect(response.status).toBe(401)
    expect(await response.text()).toContain(apiKey)
    expect((await chat('fake-model', false)).status).toBe(401)
    // Faults never touch GET /v1/models, which a gateway may probe at any time.
    expect((await openai.models.list()).data.length).toBeGreaterThan(0)
  })

  test('a status fault with a custom body and headers', async () => {
    provider.enqueue({ kind: 'status', status: 503, body: 'upstream melted', headers: { 'x-why': 'test' } })
    const response = await chat('fake-model', false)
    expect(response.status).toBe(503)
    expect(response.headers.get('x-why')).toBe('test')
    expect(await response.text()).toBe('upstream melted')
  })
})

describe('timing faults', () => {
  test('an enqueued delay trips the SDK timeout, which counts as an abort', async () => {
    provider.enqueue({ kind: 'delay', ms: 500 })
    const error = await openai.chat.completions
      .create({ model: 'fake-model', messages: [{ role: 'user', content: 'hi' }] }, { timeout: 100 })
      .catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(OpenAI.APIConnectionTimeoutError)
    await provider.waitForAborts(1)
  })

  test('slow-<ms> in the model name delays the answer', async () => {
    const startedAt = performance.now()
    const response = await chat('fake-slow-150', false)
    expect(response.status).toBe(200)
    expect(performance.now() - startedAt).toBeGreaterThanOrEqual(140)
  })

  test('hang never answers until the client aborts', async () => {
    const error = await chat('hang', false, AbortSignal.timeout(100)).catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(DOMException)
    await provider.waitForAborts(1)
    provider.enqueue({ kind: 'hang' })
    const abortController = new AbortController()
    const pending = chat('fake-model', true, abortController.signal).catch(() => 'aborted')
    setTimeout(() => abortController.abort(), 50)
    expect(await pending).toBe('aborted')
    await provider.waitForAborts(2)
  })

  test('a model named like "changelog" does not hang', () => {
    expect(readModelDirectives('changelog-model', baseDirectives(0)).hang).toBe(false)
    expect(readModelDirectives('gpt-hang', baseDirectives(0)).hang).toBe(true)
  })
})

describe('stream faults', () => {
  test('cut-<n> sends n frames then resets the connection without [DONE]', async () => {
    const response = await chat('fake-cut-3', true)
    const { text, broken } = await drain(response)
    expect(broken).toBe(true)
    expect(countFrames(text)).toBe(3)
    expect(text).not.toContain('[DONE]')
    expect(provider.aborts).toBe(0)
  })

  test('the OpenAI SDK sees an enqueued cut as a failure after the first chunks', async () => {
    provider.enqueue({ kind: 'cut', afterChunks: 2 })
    const stream = await openai.chat.completions.create({
      model: 'fake-model',
      stream: true,
      messages: [{ role: 'user', content: 'a b c d e' }],
    })
    const received: string[] = []
    const error = await (async () => {
      for await (const chunk of stream) received.push(chunk.choices[0]?.delta.content ?? '')
    })().catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(Error)
    expect(received).toEqual(['', 'echo:'])
  })

  test('a cut non-stream reply sends half a JSON body', async () => {
    const { text, broken } = await drain(await chat('fake-cut-1', false))
    expect(broken).toBe(true)
    expect(() => JSON.parse(text)).toThrow()
  })

  test('error-event: the OpenAI SDK throws the in-stream error', async () => {
    provider.enqueue({ kind: 'error-event', afterChunks: 2 })
    const stream = await openai.chat.completions.create({
      model: 'fake-model',
      stream: true,
      messages: [{ role: 'user', content: 'a b c' }],
    })
    let chunks = 0
    const error = await (async () => {
      for await (const _chunk of stream) chunks += 1
    })().catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(OpenAI.APIError)
    expect(chunks).toBe(2)
  })

  test('error-event: the Anthropic SDK throws an overloaded_error', async () => {
    provider.enqueue({ kind: 'error-event', afterChunks: 3 })
    const stream = await anthropic.messages.create({
      model: 'claude-fake',
      max_tokens: 5,
      stream: true,
      messages: [{ role: 'user', content: 'a b c' }],
    })
    const error = await Array.fromAsync(stream).catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(Anthropic.APIError)
    expect(String(error)).toContain('overloaded_error')
  })

  test('error-event-<n> in a Gemini model name sends the google.rpc error frame', async () => {
    const response = await fetch(`${provider.url}/v1beta/models/gemini-error-event-1:streamGenerateContent?alt=sse`, {
      method: 'POST',
      body: JSON.stringify({ contents: [{ parts: [{ text: 'a b' }] }] }),
    })
    const frames = (await response.text()).split('\n\n').filter(Boolean)
    expect(frames).toHaveLength(2)
    expect(JSON.parse(frames[1]?.slice('data: '.length) ?? '')).toMatchObject({
      error: { status: 'UNAVAILABLE' },
    })
  })
})

describe('abort detection', () => {
  test('a client that leaves mid-stream is counted once', async () => {
    const abortController = new AbortController()
    const response = await chat('fake-drip-30', true, abortController.signal)
    const reader = (response.body as ReadableStream<Uint8Array>).getReader()
    await reader.read()
    abortController.abort()
    await provider.waitForAborts(1)
    await Bun.sleep(100)
    expect(provider.aborts).toBe(1)
  })

  test('completed requests are never counted as aborts', async () => {
    await drain(await chat('fake-drip-5', true))
    await drain(await chat('fake-model', false))
    await Array.fromAsync(
      await anthropic.messages.create({
        model: 'claude-fake',
        max_tokens: 5,
        stream: true,
        messages: [{ role: 'user', content: 'x' }],
      }),
    )
    await Bun.sleep(100)
    expect(provider.aborts).toBe(0)
  })

  test('concurrent requests with different model-named faults do not interfere', async () => {
    const statuses = await Promise.all(
      ['fake-model', 'fake-fail-500', 'fake-slow-50', 'fake-fail-429'].map(async (model) => {
        const response = await chat(model, false)
        await response.arrayBuffer()
        return response.status
      }),
    )
    expect(statuses).toEqual([200, 500, 200, 429])
  })
})
