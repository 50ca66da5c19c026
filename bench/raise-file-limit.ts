// `exec` keeps the pid the command's own, so /proc/<pid>/status reads the server, not a shell.
const script = 'ulimit -n "$(ulimit -Hn)" 2>/dev/null || ulimit -n 65535 2>/dev/null; exec "$@"'

/** Wraps a command so that it runs with its open-file limit raised to the hard limit. */
export function raiseFileLimit(command: readonly string[]): string[] {
  return ['sh', '-c', script, 'sh', ...command]
}
