import { spawn } from 'node:child_process'

/** Best effort: a server or sandbox has no browser, and the URL is printed anyway. */
export function openInBrowser(url: string): void {
  const opener = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'explorer' : 'xdg-open'
  try {
    spawn(opener, [url], { stdio: 'ignore', detached: true })
      .on('error', () => {})
      .unref()
  } catch {
    // Nothing to open with: fine.
  }
}
