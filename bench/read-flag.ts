/** `--name value` from a script's argv, or the fallback; throws when neither is there. */
export function readFlag(argv: readonly string[], name: string, fallback?: string): string {
  const index = argv.indexOf(name)
  const value = index === -1 ? fallback : argv[index + 1]
  if (value == null) throw new Error(`${name} is required`)
  return value
}
