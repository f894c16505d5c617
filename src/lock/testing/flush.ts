/**
 * Test helpers for code driven by promises and (fake) timers. Tests fake only `setTimeout` and
 * `clearTimeout`, so a real `setImmediate` turn lets every pending microtask run first.
 */
import { vi } from 'vitest';

/** Fakes the timers the lock uses, and nothing that {@link flush} needs. */
export function useLockTimers(): void {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
}

/** Lets every pending microtask (and the ones they queue) run. */
export function flush(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** The value `promise` settled with after a {@link flush}, or `'pending'`. */
export async function peek<T>(promise: Promise<T>): Promise<T | 'pending'> {
  let result: { value: T } | undefined;
  promise.then(
    (value) => (result = { value }),
    () => undefined,
  );
  await flush();
  return result === undefined ? 'pending' : result.value;
}
