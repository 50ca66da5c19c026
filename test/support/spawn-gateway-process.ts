import { join } from 'node:path'

export type GatewayProcess = { url: string; stop(): Promise<void>; output(): string }

const mainFile = join(import.meta.dir, '..', '..', 'src', 'main.ts')

/**
 * A real `bun src/main.ts serve` process on a free port; resolves once it prints its URL. The
 * environment is exactly `env` plus PATH and HOME, so the test decides every setting.
 */
export async function spawnGatewayProcess(env: Record<string, string>, timeoutMs = 20_000): Promise<GatewayProcess> {
  const child = Bun.spawn([process.execPath, mainFile, 'serve', '--port', '0', '--host', '127.0.0.1'], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env },
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
  const deadline = Date.now() + timeoutMs
  let url: string | undefined
  while (url == null) {
    url = /listening on (http:\/\/\S+) /.exec(output)?.[1]
    if (url != null) break
    if (child.exitCode != null || Date.now() > deadline) {
      child.kill()
      throw new Error(`gateway process did not start:\n${output}`)
    }
    await Bun.sleep(25)
  }
  return {
    url,
    output: () => output,
    async stop() {
      child.kill('SIGTERM')
      await child.exited
    },
  }
}
