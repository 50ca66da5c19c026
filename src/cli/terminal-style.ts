/** Colours and a spinner for people at a terminal; plain text for pipes, files and agents. */
export function terminalStyle(isTty: boolean) {
  const paint = (code: number) => (text: string) => (isTty ? `\u001b[${code}m${text}\u001b[0m` : text)
  return { green: paint(32), red: paint(31), bold: paint(1), dim: paint(2) }
}

/** Frames on one line of stderr, redrawn in place; a no-op off a terminal. */
export function startSpinner(options: { isTty: boolean; write: (text: string) => void; label: string }): { stop(): void } {
  if (!options.isTty) return { stop() {} }
  const frames = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏']
  let index = 0
  const timer = setInterval(() => {
    options.write(`\r${frames[index++ % frames.length]} ${options.label}`)
  }, 100)
  return {
    stop() {
      clearInterval(timer)
      options.write('\r\u001b[2K')
    },
  }
}
