import { XMLParser, XMLValidator } from 'fast-xml-parser'

const rootReader = new XMLParser({ ignoreAttributes: true, ignoreDeclaration: true, ignorePiTags: true })

/**
 * Finds the XML document in an answer (a ```xml fence, or the text from the first `<`), and checks
 * it is well-formed with a real parser, and optionally that its root element has the given name.
 */
export function checkXml(content: string, rootElement: string | undefined): { ok: true; xml: string } | { ok: false; errors: string[] } {
  const xml = locateXml(content)
  if (xml == null) return { ok: false, errors: ['the answer contains no XML element'] }
  const verdict = XMLValidator.validate(xml)
  if (verdict !== true) {
    return { ok: false, errors: [`line ${verdict.err.line}, column ${verdict.err.col}: ${verdict.err.msg}`] }
  }
  const roots = Object.keys(rootReader.parse(xml) as Record<string, unknown>).filter((name) => name !== '#text')
  if (roots.length !== 1) return { ok: false, errors: [`an XML document has exactly one root element; found ${roots.length}`] }
  if (rootElement != null && roots[0] !== rootElement) {
    return { ok: false, errors: [`the root element must be <${rootElement}>, not <${roots[0]}>`] }
  }
  return { ok: true, xml }
}

function locateXml(content: string): string | undefined {
  const fenced = /```(?:xml)?[ \t]*\r?\n([\s\S]*?)```/i.exec(content)
  const fencedXml = fenced?.[1]
  if (fencedXml?.includes('<')) return fencedXml.trim()
  const start = content.indexOf('<')
  const end = content.lastIndexOf('>')
  if (start === -1 || end < start) return undefined
  return content.slice(start, end + 1).trim()
}
