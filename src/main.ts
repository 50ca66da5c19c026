#!/usr/bin/env bun
import { runCli } from './cli/run-cli.ts'

// The entry point of the `switchyard` binary; `npm start` runs `switchyard serve`.
const exitCode = await runCli(process.argv.slice(2), {
  env: process.env,
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
  // Both streams: colours go to stdout and the spinner to stderr, and neither belongs in a pipe or a file.
  isTty: process.stderr.isTTY === true && process.stdout.isTTY === true,
  status: (text) => process.stderr.write(text),
})
process.exitCode = exitCode
