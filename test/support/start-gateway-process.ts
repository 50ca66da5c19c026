import { join } from 'node:path'

const mainScript = join(import.meta.dir, '..', '..', 'src', 'main.ts')

export type GatewayProcess = { url: string; baseUrl: string; pid: number; output(): string; stop(): Promise<void> }

/**
 * A real `bun src/main.ts serve` subprocess on a free loopback port (the OS picks it: `--port 0`,
 * and the announced URL is read back). Only the variables given pass through, plus PATH and HOME,
 * so the developer's provider keys or config cannot leak in. Without `db` the process takes its
 * store from `env` (e.g. SWITCHYARD_DATABASE_URL); without `cwd` it runs in this process's folder.
 */
export async function startGatewayProcess(options: {
  env: Record<string, string>
  db?: string
  cwd?: string
  readyTimeoutMs?: number
}): Promise<GatewayProcess> {
  const dbArguments = options.db == null ? [] : ['--db', options.db]
  const child = Bun.spawn([process.execPath, mainScript, 'serve', '--port', '0', '--host', '127.0.0.1', ...dbArguments], {
    cwd: options.cwd,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', SWITCHYARD_LOG_LEVEL: 'warn', ...options.env },
    stdin: 'ignore',
    stdout: 'pipe',
    stderr: 'pipe',
  })
  let output = ''
  const collect = async (stream: ReadableStream<Uint8Array>) => {
    const decoder = new TextDecoder()
    const reader = stream.getReader()
    while (true) {
      const { done, value } = await reader.read()
      if (done) return
      output += decoder.decode(value, { stream: true })
    }
  }
  void collect(child.stdout)
  void collect(child.stderr)
  const stop = async () => {
    if (child.exitCode != null || child.signalCode != null) return
    child.kill('SIGTERM')
    const exited = await Promise.race([child.exited.then(() => true), Bun.sleep(3000).then(() => false)])
    if (!exited) {
      child.kill('SIGKILL')
      await child.exited
    }
  }
  const deadline = Date.now() + (options.readyTimeoutMs ?? 20_000)
  while (true) {
    const match = /listening on (http:\/\/[^\s]+) /.exec(output)
    if (match?.[1] != null) {
      const url = match[1].replace('localhost', '127.0.0.1')
      return { url, baseUrl: `${url}/v1`, pid: child.pid, output: () => output, stop }
    }
    if (child.exitCode != null) throw new Error(`gateway exited with ${child.exitCode} before listening:\n${output}`)
    if (Date.now() > deadline) {
      await stop()
      throw new Error(`gateway did not announce its port in time:\n${output}`)
    }
    await Bun.sleep(50)
  }
}
