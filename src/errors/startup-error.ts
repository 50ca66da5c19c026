/**
 * Something the gateway cannot start without (its database, Redis) is not there. The message is
 * one line for an operator, names the dependency by its URL without the password, and says why;
 * `serve` prints it as is and exits non-zero instead of showing a stack trace.
 */
export class StartupError extends Error {
  override readonly name = 'StartupError'
}
