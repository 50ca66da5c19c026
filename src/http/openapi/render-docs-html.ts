import { escapeHtml } from '../../auth/render-device-page.ts'

type Operation = {
  summary?: string
  description?: string
  tags?: string[]
  security?: Array<Record<string, string[]>>
  parameters?: Array<{ name: string; in: string; required?: boolean }>
  requestBody?: { content: Record<string, { schema: unknown }> }
  responses: Record<string, { description: string; content?: Record<string, { schema: unknown }> }>
}
type Document = { info: { title: string; version: string; description?: string }; paths: Record<string, Record<string, Operation>> }

const style = `body{font:15px/1.5 system-ui,sans-serif;margin:0;color:#111;display:flex}nav{width:17rem;height:100vh;overflow:auto;position:sticky;top:0;background:#f6f6f6;padding:1rem;box-sizing:border-box;font-size:13px}
nav a{display:block;color:#333;text-decoration:none;padding:.1rem 0}main{flex:1;padding:1rem 2rem;max-width:60rem}
.op{border:1px solid #ddd;border-radius:.4rem;margin:1rem 0;padding:.6rem 1rem}.method{font:700 12px ui-monospace,monospace;text-transform:uppercase;padding:.1rem .4rem;border-radius:.2rem;color:#fff;background:#555}
.get{background:#2a6}.post{background:#26a}.delete{background:#a33}code,pre{font:12px ui-monospace,monospace}pre{background:#f6f6f6;padding:.5rem;overflow:auto;max-height:20rem}
details summary{cursor:pointer;color:#444}.auth{color:#666;font-size:13px}`

/**
 * The API reference as one self-contained page, rendered on the server from the OpenAPI document:
 * no scripts, no CDN, so it works offline and under a strict Content-Security-Policy.
 */
export function renderDocsHtml(document: Document): string {
  const byTag = new Map<string, Array<{ path: string; method: string; operation: Operation }>>()
  for (const [path, operations] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(operations)) {
      const tag = operation.tags?.[0] ?? 'other'
      byTag.set(tag, [...(byTag.get(tag) ?? []), { path, method, operation }])
    }
  }
  const anchor = (method: string, path: string) => `${method}-${path.replace(/[^A-Za-z0-9]+/g, '-')}`
  const nav = [...byTag]
    .map(
      ([tag, entries]) =>
        `<strong>${escapeHtml(tag)}</strong>${entries.map(({ method, path }) => `<a href="#${anchor(method, path)}">${method.toUpperCase()} ${escapeHtml(path)}</a>`).join('')}`,
    )
    .join('')
  const sections = [...byTag]
    .map(
      ([tag, entries]) =>
        `<h2>${escapeHtml(tag)}</h2>${entries.map(({ method, path, operation }) => renderOperation(anchor(method, path), method, path, operation)).join('')}`,
    )
    .join('')
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(document.info.title)} API</title><style>${style}</style></head><body><nav>${nav}</nav><main>
<h1>${escapeHtml(document.info.title)} API <small>${escapeHtml(document.info.version)}</small></h1>
<p>${escapeHtml(document.info.description ?? '')}</p><p>Machine-readable: <a href="/openapi.json">/openapi.json</a> · for agents: <a href="/llms.txt">/llms.txt</a>, <a href="/llms-full.txt">/llms-full.txt</a></p>
${sections}</main></body></html>`
}

function renderOperation(id: string, method: string, path: string, operation: Operation): string {
  const security = operation.security ?? []
  const auth =
    security.length === 0 ? 'no authentication' : `auth: ${security.map((requirement) => Object.keys(requirement).join('+')).join(' or ')}`
  const parameters = (operation.parameters ?? [])
    .map(
      (parameter) =>
        `<li><code>${escapeHtml(parameter.name)}</code> (${escapeHtml(parameter.in)}${parameter.required ? ', required' : ''})</li>`,
    )
    .join('')
  const body = Object.entries(operation.requestBody?.content ?? {})
    .map(
      ([type, media]) =>
        `<details><summary>Request body: ${escapeHtml(type)}</summary><pre>${escapeHtml(JSON.stringify(media.schema, null, 2))}</pre></details>`,
    )
    .join('')
  const responses = Object.entries(operation.responses)
    .map(([status, response]) => {
      const schema = Object.entries(response.content ?? {})[0]
      const detail = schema == null ? '' : `<pre>${escapeHtml(JSON.stringify(schema[1].schema, null, 2))}</pre>`
      return `<details><summary>${escapeHtml(status)}: ${escapeHtml(response.description)}</summary>${detail}</details>`
    })
    .join('')
  return `<section class="op" id="${id}"><p><span class="method ${method}">${method}</span> <code>${escapeHtml(path)}</code> ${escapeHtml(operation.summary ?? '')}</p>
<p class="auth">${escapeHtml(auth)}</p>${operation.description == null ? '' : `<p>${escapeHtml(operation.description)}</p>`}${parameters === '' ? '' : `<ul>${parameters}</ul>`}${body}${responses}</section>`
}
