/**
 * English keyword lists of the ClawRouter kind (BlockRunAI/ClawRouter `src/router/config.ts`,
 * MIT), trimmed to English. Shared by the keyword baseline and the learned classifier's hand
 * features so both look at the same vocabulary.
 */
export type KeywordDimension =
  | 'reasoning'
  | 'code'
  | 'technical'
  | 'creative'
  | 'constraint'
  | 'agentic'
  | 'imperative'
  | 'outputFormat'
  | 'simple'
  | 'reference'
  | 'domain'
  | 'negation'
  | 'multiStep'

export const keywordLists: Readonly<Record<KeywordDimension, readonly string[]>> = {
  reasoning: ['prove', 'theorem', 'derive', 'step by step', 'chain of thought', 'formally', 'mathematical', 'proof', 'logically'],
  code: ['function', 'class', 'import', 'def', 'select', 'async', 'await', 'const', 'let', 'var', 'return'],
  technical: ['algorithm', 'optimize', 'architecture', 'distributed', 'kubernetes', 'microservice', 'database', 'infrastructure'],
  creative: ['story', 'poem', 'compose', 'brainstorm', 'creative', 'imagine', 'write a'],
  constraint: ['under', 'at most', 'at least', 'within', 'no more than', 'maximum', 'minimum', 'limit', 'budget'],
  agentic: ['read file', 'edit', 'modify', 'execute', 'deploy', 'install', 'npm', 'pip', 'fix', 'debug', 'verify'],
  imperative: ['build', 'create', 'implement', 'design', 'develop', 'construct', 'generate', 'configure', 'set up'],
  outputFormat: ['json', 'yaml', 'xml', 'table', 'csv', 'markdown', 'schema', 'format as', 'structured'],
  simple: [
    'what is',
    'define',
    'translate',
    'hello',
    'hi',
    'hey',
    'thanks',
    'thank you',
    'yes or no',
    'capital of',
    'how old',
    'who is',
    'when was',
  ],
  reference: ['above', 'below', 'previous', 'following', 'the docs', 'the api', 'the code', 'earlier', 'attached'],
  domain: [
    'quantum',
    'fpga',
    'vlsi',
    'asic',
    'photonics',
    'genomics',
    'proteomics',
    'topological',
    'homomorphic',
    'zero-knowledge',
    'lattice-based',
  ],
  negation: ["don't", 'do not', 'avoid', 'never', 'without', 'except', 'exclude', 'no longer'],
  multiStep: ['first', 'then', 'finally', 'step', 'next', 'afterwards'],
}

export const keywordDimensions = Object.keys(keywordLists) as readonly KeywordDimension[]
