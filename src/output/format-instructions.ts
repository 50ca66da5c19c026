import type { OutputFormat } from './output-format.ts'

// What we tell a model about the answer's format. TokenHub's docs promised a JSON hint in the
// system prompt; its code never sent one. These are sent whenever the provider is not given the
// schema natively (and, for JSON, as well: a model that reads the schema twice errs less).

/** The system instruction for a format, or undefined when the format asks nothing of the model. */
export function formatInstruction(format: OutputFormat): string | undefined {
  switch (format.type) {
    case 'json':
      return format.schema == null
        ? 'Answer with a single JSON value and nothing else: no prose, no code fences.'
        : [
            'Answer with a single JSON value that validates against this JSON Schema (draft 2020-12), and nothing else: no prose, no code fences.',
            JSON.stringify(format.schema.source),
          ].join('\n')
    case 'xml':
      return format.rootElement == null
        ? 'Answer with one well-formed XML document and nothing else.'
        : `Answer with one well-formed XML document whose root element is <${format.rootElement}>, and nothing else.`
    case 'markdown':
      return 'Format the answer as GitHub-flavoured Markdown.'
    case 'text':
      return 'Answer in plain text, without Markdown formatting.'
    case 'none':
      return undefined
  }
}

/** The user turn of a repair round: what was wrong, and what to send instead. */
export function repairInstruction(format: OutputFormat, errors: readonly string[]): string {
  const what = format.type === 'xml' ? 'well-formed XML document' : 'JSON value'
  return [
    `Your previous answer is not a valid ${what} for the required format. These problems were found:`,
    ...errors.slice(0, 20).map((error) => `- ${error}`),
    `Send the corrected ${what} only, with nothing before or after it.`,
  ].join('\n')
}
