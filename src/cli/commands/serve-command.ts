import type { Command } from 'commander'
import { ConfigError, loadConfig } from '../../config/load-config.ts'
import { StartupError } from '../../errors/startup-error.ts'
import { startGateway } from '../../start-gateway.ts'
import { type CliContext, CliError, exitCodes } from '../cli-context.ts'

export function registerServeCommand(program: Command, context: CliContext, run: (action: () => Promise<void>) => Promise<void>): void {
  program
    .command('serve')
    .description('Start the gateway (what `npm start` runs).')
    .option('--port <port>', 'port to listen on (env SWITCHYARD_PORT, default 8080)', parsePort)
    .option('--host <host>', 'interface to bind (env SWITCHYARD_HOST, default 0.0.0.0)')
    .option('--config <file>', 'YAML config file (env SWITCHYARD_CONFIG, default ./switchyard.yaml if present)')
    .option('--db <url>', 'sqlite:PATH or postgres://... (env SWITCHYARD_DATABASE_URL)')
    .option('--redis <url>', 'redis://... for shared state across replicas (env SWITCHYARD_REDIS_URL)')
    .addHelpText('after', '\nExample:\n  OPENAI_API_KEY=sk-... switchyard serve --port 8080\n')
    .action((flags: { port?: number; host?: string; config?: string; db?: string; redis?: string }) =>
      run(async () => {
        let config: ReturnType<typeof loadConfig>
        try {
          config = loadConfig({ env: context.env, flags })
        } catch (error) {
          if (error instanceof ConfigError) throw new CliError(`Configuration error: ${error.message}`, exitCodes.userError)
          throw error
        }
        // A database or Redis that is not there: one line naming it, exit 2, no stack trace.
        const gateway = await startGateway(config, { announce: (line) => context.stderr(line) }).catch((error: unknown) => {
          throw error instanceof StartupError ? new CliError(error.message, exitCodes.networkError) : error
        })
        await new Promise<void>((resolve) => {
          const shutdown = () => {
            context.stderr('Shutting down: finishing open requests…')
            void gateway.stop().then(resolve)
          }
          process.once('SIGINT', shutdown)
          process.once('SIGTERM', shutdown)
        })
      }),
    )
}

function parsePort(value: string): number {
  const port = Number(value)
  if (!Number.isInteger(port) || port < 0 || port > 65_535)
    throw new CliError(`--port: expected 0–65535, got "${value}"`, exitCodes.userError)
  return port
}
