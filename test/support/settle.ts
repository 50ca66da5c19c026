/**
 * Awaits a promise and returns its value or the error it threw. The SDK's APIPromise is a lazy
 * thenable, so bun's `expect(...).rejects` cannot inspect it; tests await it through this instead.
 */
export async function settle(promise: PromiseLike<unknown>): Promise<unknown> {
  try {
    return await promise
  } catch (error) {
    return error
  }
}
