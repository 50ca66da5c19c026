import { describe, expect, test } from 'bun:test'
import type { DeploymentTarget } from '../provider-adapter.ts'
import { parseGeminiError } from './parse-gemini-error.ts'

const target: DeploymentTarget = {
  providerId: 'gemini',
  upstreamModel: 'gemini-2.5-flash',
  baseUrl: 'https://generativelanguage.googleapis.com',
  apiKey: 'AIzaSyTESTKEY123',
}

function fail(status: number, body: unknown, headers: Record<string, string> = {}) {
  return parseGeminiError({ status, headers: new Headers(headers), bodyText: JSON.stringify(body) }, target)
}

describe('parseGeminiError', () => {
  test('extracts error.message and maps by status', () => {
    const error = fail(
      429,
      { error: { code: 429, message: 'Resource has been exhausted', status: 'RESOURCE_EXHAUSTED' } },
      {
        'retry-after': '7',
      },
    )
    expect(error).toMatchObject({ code: 'upstream_rate_limited', upstreamStatus: 429, retryAfterSeconds: 7 })
    expect(error.message).toContain('Resource has been exhausted')
    expect(fail(503, { error: { code: 503, message: 'overloaded', status: 'UNAVAILABLE' } }).code).toBe('upstream_unavailable')
    expect(fail(404, { error: { code: 404, message: 'models/x is not found', status: 'NOT_FOUND' } }).code).toBe('model_not_found')
  })

  test('recognises context overflow and reads the array-wrapped form', () => {
    const message = 'The input token count (1200000) exceeds the maximum number of tokens allowed (1048576).'
    expect(fail(400, [{ error: { code: 400, message, status: 'INVALID_ARGUMENT' } }]).code).toBe('context_length_exceeded')
  })

  test('treats Gemini 400 API_KEY_INVALID as an auth failure without echoing the key', () => {
    const error = fail(400, {
      error: {
        code: 400,
        message: 'API key not valid. Please pass a valid API key. (AIzaSyTESTKEY123)',
        status: 'INVALID_ARGUMENT',
        details: [{ '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'API_KEY_INVALID' }],
      },
    })
    expect(error).toMatchObject({ code: 'upstream_auth_failed', upstreamStatus: 400 })
    expect(error.message).not.toContain('AIzaSyTESTKEY123')
  })

  test('a non-JSON body still maps by status', () => {
    const error = parseGeminiError({ status: 500, headers: new Headers(), bodyText: '<html>oops</html>' }, target)
    expect(error.code).toBe('upstream_error')
  })
})
