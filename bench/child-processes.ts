import type { Subprocess } from 'bun'
import { raiseFileLimit } from './raise-file-limit.ts'

export type StartedChild = { name: string; pid: number; exited: Promise<number> }

export type ChildProcesses = {
  /** Spawns a command (with the file-descriptor limit raised to the hard limit) and waits until `probeUrl` answers. */
  start(options: {
    name: string
    command: string[]
    probeUrl: string
    env?: Record<string, string | undefined>
    cwd?: string
    readyTimeoutMs?: number
  }): Promise<StartedChild>
  stop(child: StartedChild): Promise<void>
  /** Stops every child still running: SIGTERM, then SIGKILL after a grace period. */
  stopAll(): Promise<void>
}

const stopGraceMs = 2_000

/** Every process the benchmark starts goes through here, so every one of them is killed at the end. */
export function createChildProcesses(options: { logDirectory: string }): ChildProcesses {
  const running = new Map<StartedChild, Subprocess>()

  // Last resort: a crash or an early process.exit still takes the children down with us.
  process.on('exit', () => {
    for (const subprocess of running.values()) subprocess.kill('SIGKILL')
  })

  async function stop(child: StartedChild): Promise<void> {
    const subprocess = running.get(child)
    if (subprocess == null) return
    running.delete(child)
    if (subprocess.exitCode != null || subprocess.signalCode != null) return
    subprocess.kill('SIGTERM')
    const exitedInTime = await Promise.race([subprocess.exited.then(() => true), Bun.sleep(stopGraceMs).then(() => false)])
    if (!exitedInTime) {
      subprocess.kill('SIGKILL')
      await subprocess.exited
    }
  }

  return {
    async start({ name, command, probeUrl, env, cwd, readyTimeoutMs = 20_000 }) {
      const logPath = `${options.logDirectory}/${name}.log`
      const subprocess = Bun.spawn(raiseFileLimit(command), {
        env: definedOnly({ ...process.env, ...env }),
        ...(cwd == null ? {} : { cwd }),
        stdin: 'ignore',
        stdout: Bun.file(logPath),
        stderr: Bun.file(`${options.logDirectory}/${name}.err.log`),
      })
      const child: StartedChild = { name, pid: subprocess.pid, exited: subprocess.exited }
      running.set(child, subprocess)
      const deadline = Date.now() + readyTimeoutMs
      while (true) {
        if (subprocess.exitCode != null) {
          throw new Error(`${name} exited with code ${subprocess.exitCode} before it was ready; see ${options.logDirectory}/${name}*.log`)
        }
        try {
          await fetch(probeUrl, { signal: AbortSignal.timeout(1_000) })
          return child
        } catch {
          if (Date.now() > deadline) {
            await stop(child)
            throw new Error(`${name} did not answer ${probeUrl} within ${readyTimeoutMs} ms; see ${options.logDirectory}/${name}*.log`)
          }
          await Bun.sleep(100)
        }
      }
    },
    stop,
    async stopAll() {
      await Promise.all([...running.keys()].map(stop))
    },
  }
}

/** An environment without unset entries: `undefined` removes an inherited variable. */
function definedOnly(env: Record<string, string | undefined>): Record<string, string> {
  const result: Record<string, string> = {}
  for (const [name, value] of Object.entries(env)) if (value != null) result[name] = value
  return result
}
