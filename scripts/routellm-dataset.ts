import { readdirSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { parse } from 'csv-parse/sync'

/**
 * Loads the RouteLLM correctness data (see ../shared/data/routellm/README.md) and splits it
 * into a stable train / held-out partition. Shared by router-train.ts and router-eval.ts so
 * both agree on which prompts are held out.
 */

export type RoutingExample = {
  dataset: 'mmlu' | 'gsm8k'
  /** For MMLU, the subject (file name); for GSM8K, 'gsm8k'. */
  subject: string
  prompt: string
  weakCorrect: boolean
  strongCorrect: boolean
  split: 'train' | 'heldout'
}

export const weakModelName = 'mistralai/Mixtral-8x7B-Instruct-v0.1'
export const strongModelName = 'gpt-4-1106-preview'
export const heldOutPercent = 20
const splitSalt = 'switchyard-router-split-v1'

export function resolveDataDirectory(): string {
  const repoRoot = resolve(import.meta.dir, '..')
  return resolve(process.env.ROUTELLM_DATA_DIR ?? join(repoRoot, '..', 'shared', 'data', 'routellm'))
}

/** FNV-1a over UTF-16 code units: stable across runs and machines, no crypto needed. */
export function hashString(text: string): number {
  let hash = 0x811c9dc5
  for (let index = 0; index < text.length; index++) {
    hash = Math.imul(hash ^ text.charCodeAt(index), 0x01000193)
  }
  return hash >>> 0
}

/** Held-out membership depends only on the prompt text, so the split never shifts. */
function splitFor(prompt: string): 'train' | 'heldout' {
  return hashString(`${splitSalt}\u0000${prompt}`) % 100 < heldOutPercent ? 'heldout' : 'train'
}

function readContaminated(path: string): Set<string> {
  const prompts = new Set<string>()
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (line.trim() === '') continue
    const record = JSON.parse(line) as { eval_prompt?: unknown }
    if (typeof record.eval_prompt === 'string') prompts.add(record.eval_prompt)
  }
  return prompts
}

function parseFlag(value: string | undefined, where: string): boolean {
  if (value === 'True') return true
  if (value === 'False') return false
  throw new Error(`${where}: expected True/False, got ${String(value)}`)
}

function readCsv(path: string): Array<Record<string, string>> {
  return parse(readFileSync(path, 'utf8'), { columns: true, skip_empty_lines: true }) as Array<Record<string, string>>
}

export type LoadedData = { examples: RoutingExample[]; contaminatedSkipped: number }

export function loadRoutingExamples(dataDirectory = resolveDataDirectory()): LoadedData {
  const examples: RoutingExample[] = []
  let contaminatedSkipped = 0
  const sources: Array<{ dataset: 'mmlu' | 'gsm8k'; subject: string; path: string }> = []
  const mmluDirectory = join(dataDirectory, 'mmlu')
  for (const file of readdirSync(mmluDirectory).sort()) {
    if (!file.endsWith('.csv')) continue
    const subject = file.replace(/^mmlu_/, '').replace(/\.csv$/, '')
    sources.push({ dataset: 'mmlu', subject, path: join(mmluDirectory, file) })
  }
  sources.push({ dataset: 'gsm8k', subject: 'gsm8k', path: join(dataDirectory, 'gsm8k_responses.csv') })
  const contaminated = {
    mmlu: readContaminated(join(dataDirectory, 'mmlu_contaminated_prompts.jsonl')),
    gsm8k: readContaminated(join(dataDirectory, 'gsm8k_contaminated_prompts.jsonl')),
  }

  for (const source of sources) {
    for (const [rowIndex, row] of readCsv(source.path).entries()) {
      const where = `${source.path} row ${rowIndex + 1}`
      const prompt = row.prompt
      if (prompt === undefined) throw new Error(`${where}: no prompt column`)
      // Contaminated prompts overlap RouteLLM's own training data; the README says to leave
      // them out of evaluation, and we leave them out of training too for simplicity.
      if (contaminated[source.dataset].has(prompt)) {
        contaminatedSkipped++
        continue
      }
      examples.push({
        dataset: source.dataset,
        subject: source.subject,
        prompt,
        weakCorrect: parseFlag(row[weakModelName], where),
        strongCorrect: parseFlag(row[strongModelName], where),
        split: splitFor(prompt),
      })
    }
  }
  return { examples, contaminatedSkipped }
}
