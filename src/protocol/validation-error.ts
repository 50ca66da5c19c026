import type { ZodError } from 'zod'
import { GatewayError } from '../errors/gateway-error.ts'

/** Turns the first zod issue into a 400 naming the parameter, OpenAI-style (`messages[0].role`). */
export function validationError(error: ZodError): GatewayError {
  const issue = error.issues[0]
  if (issue == null) return new GatewayError('invalid_request', 'The request body is invalid.')
  const param = formatPath(issue.path)
  const where = param === '' ? 'The request body' : `\`${param}\``
  return new GatewayError('invalid_request', `${where}: ${issue.message}`, { param: param === '' ? null : param })
}

function formatPath(path: readonly PropertyKey[]): string {
  let text = ''
  for (const segment of path) {
    if (typeof segment === 'number') text += `[${segment}]`
    else text += text === '' ? String(segment) : `.${String(segment)}`
  }
  return text
}
