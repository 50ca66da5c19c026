import { describe, expect, test } from 'bun:test'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { runCli } from '../support/run-cli.ts'

// Errors found while parsing argv (before any command runs) through the real binary: under --json
// they must print the same error shape as every other failure, so scripts never get an empty stdout.
// No gateway is needed; the URL points nowhere so nothing could reach one by accident.

const env = { HOME: mkdtempSync(join(tmpdir(), 'switchyard-home-')), SWITCHYARD_API_URL: 'http://127.0.0.1:9' }

function expectJsonError(result: { stdout: string; stderr: string; exitCode: number }, message: string) {
  expect(result.exitCode).toBe(1)
  expect(JSON.parse(result.stdout)).toEqual({ error: { message: expect.stringContaining(message), exit_code: 1, details: null } })
  // A short hint may stay on stderr; the full help is for humans only.
  expect(result.stderr).not.toContain('Usage:')
}

describe('parse errors under --json', () => {
  test('unknown command', async () => {
    expectJsonError(await runCli(['frob', '--json'], env), "unknown command 'frob'")
  })

  test('missing required option', async () => {
    expectJsonError(await runCli(['keys', 'create', '--json'], env), "required option '--name <name>' not specified")
  })

  test('invalid option value, from commander and from our own parser', async () => {
    expectJsonError(await runCli(['usage', '--days', '0', '--json'], env), '--days must be a whole number from 1 to 365')
    expectJsonError(await runCli(['serve', '--port', 'abc', '--json'], env), '--port: expected 0–65535, got "abc"')
  })

  test('a command group without its subcommand', async () => {
    expectJsonError(await runCli(['keys', '--json'], env), 'a command is required')
  })

  test('SWITCHYARD_JSON=1 without the flag', async () => {
    expectJsonError(await runCli(['keys', 'create'], { ...env, SWITCHYARD_JSON: '1' }), "required option '--name <name>' not specified")
  })
})

describe('parse errors without --json (unchanged)', () => {
  test('the message and the help go to stderr, nothing to stdout', async () => {
    const result = await runCli(['keys', 'create'], env)
    expect(result.exitCode).toBe(1)
    expect(result.stdout).toBe('')
    expect(result.stderr).toStartWith("error: required option '--name <name>' not specified\n")
    expect(result.stderr).toContain('Usage: switchyard keys create [options]')
  })

  test('unknown command', async () => {
    const result = await runCli(['frob'], env)
    expect(result.exitCode).toBe(1)
    expect(result.stdout).toBe('')
    expect(result.stderr).toStartWith("error: unknown command 'frob'\n")
    expect(result.stderr).toContain('Usage: switchyard [options] [command]')
  })
})
