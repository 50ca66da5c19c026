import removeMarkdown from 'remove-markdown'
import { checkXml } from './check-xml.ts'
import { extractJson } from './extract-json.ts'
import type { OutputFormat } from './output-format.ts'
import { stripThink } from './strip-think.ts'

export type ShapeResult = { ok: true; content: string; value?: unknown } | { ok: false; errors: string[] }

/**
 * Shapes one answer: strip `<think>` reasoning when asked (always before parsing JSON or XML,
 * where it can only get in the way), then the type's own step. `json` and `xml` can fail, with
 * errors meant to be shown to the model in a repair round; the others always succeed.
 */
export function shapeOutput(content: string, format: OutputFormat): ShapeResult {
  const parsing = format.type === 'json' || format.type === 'xml'
  const text = format.stripThink || parsing ? stripThink(content) : content
  switch (format.type) {
    case 'json':
      return shapeJson(text, format)
    case 'xml': {
      const checked = checkXml(text, format.rootElement)
      return checked.ok ? { ok: true, content: checked.xml } : checked
    }
    case 'markdown':
      return { ok: true, content: text.trim() }
    case 'text':
      return { ok: true, content: removeMarkdown(text, { gfm: true, useImgAltText: true }).trim() }
    case 'none':
      return { ok: true, content: text }
  }
}

function shapeJson(text: string, format: OutputFormat): ShapeResult {
  const extracted = extractJson(text)
  if (!extracted.found) return { ok: false, errors: ['the answer contains no JSON value'] }
  const errors = format.schema?.validator.validate(extracted.value) ?? []
  if (errors.length > 0) return { ok: false, errors }
  return { ok: true, content: JSON.stringify(extracted.value), value: extracted.value }
}
