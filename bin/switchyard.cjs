#!/usr/bin/env node
// Launches the TypeScript entry point on the Bun runtime installed by `npm install`, so
// `npx switchyard ...` works with nothing but Node.js and npm on the machine.
const { spawn } = require('node:child_process')
const path = require('node:path')

const root = path.join(__dirname, '..')
const bun = path.join(root, 'node_modules', '.bin', process.platform === 'win32' ? 'bun.exe' : 'bun')
const child = spawn(bun, [path.join(root, 'src', 'main.ts'), ...process.argv.slice(2)], { stdio: 'inherit' })
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal))
child.on('exit', (code, signal) => {
  if (signal != null) process.kill(process.pid, signal)
  else process.exit(code ?? 1)
})
child.on('error', (error) => {
  console.error(`switchyard: cannot start Bun (${error.message}); run \`npm install\` first.`)
  process.exit(2)
})
