/**
 * A ~2,000-token mixed prompt (prose, code, maths, formatting asks), ~8,000 characters: the size
 * issue 4 names for the auto-router's latency budget. Shared by the classifier and routing benches.
 */
const paragraphs = [
  'We are migrating a distributed job scheduler from a single Postgres queue to a sharded design.',
  'First, explain the failure modes of the current architecture, then propose three alternatives',
  'and compare their throughput under 12,000 jobs per second with at most 250 ms of added latency.',
  '```ts\nexport async function claimJob(db: Db, worker: string): Promise<Job | null> {\n',
  '  const row = await db.query("SELECT * FROM jobs WHERE state = $1 LIMIT 1", ["ready"])\n',
  '  return row === undefined ? null : { id: row.id, payload: JSON.parse(row.payload) }\n}\n```',
  'Prove that the lease protocol never hands the same job to two workers, step by step, and',
  'derive the expected number of retries when each worker fails with probability p = 0.03.',
  'Format the answer as markdown with a table of trade-offs. Do not use external services.',
]

export function twoThousandTokenPrompt(): string {
  let prompt = ''
  for (let index = 0; prompt.length < 8_000; index++) prompt += `${paragraphs[index % paragraphs.length]} (${index})\n`
  return prompt
}
