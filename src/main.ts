#!/usr/bin/env bun
import { runCli } from './cli/run-cli.ts'

// The entry point of the `switchyard` binary; `npm start` runs `switchyard serve`.
const exitCode = await runCli(process.argv.slice(2), {
  env: process.env,
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
  isTty: process.stderr.isTTY === true,
  status: (text) => process.stderr.write(text),
})
process.exitCode = exitCode
