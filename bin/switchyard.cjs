#!/usr/bin/env node
// Launches the TypeScript entry point on the Bun runtime installed by `npm install`, so
// `npx switchyard ...` works with nothing but Node.js and npm on the machine.
const { spawn } = require('node:child_process')
const path = require('node:path')

const root = path.join(__dirname, '..')
const bun = path.join(root, 'node_modules', '.bin', process.platform === 'win32' ? 'bun.exe' : 'bun')
// Bun's fetch allows only 256 requests in flight unless told otherwise before it starts; a gateway
// holding 1,000 open streams needs far more upstream connections than that.
const env = { BUN_CONFIG_MAX_HTTP_REQUESTS: '16384', ...process.env }
const child = spawn(bun, [path.join(root, 'src', 'main.ts'), ...process.argv.slice(2)], { stdio: 'inherit', env })
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal))
child.on('exit', (code, signal) => {
  if (signal != null) process.kill(process.pid, signal)
  else process.exit(code ?? 1)
})
child.on('error', (error) => {
  console.error(`switchyard: cannot start Bun (${error.message}); run \`npm install\` first.`)
  process.exit(2)
})
