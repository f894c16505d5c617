import type { Page } from '@playwright/test';

/** What a {@link boundedFetch} saw: a whole response, or the error that ended it. */
export interface BoundedFetchResult {
  /** Response status, once the headers arrived. */
  status?: number;
  /** Lower-case header names, once the headers arrived. */
  headers?: Record<string, string>;
  /** Body bytes read before the end or the error. */
  received: number;
  /** Hex SHA-256 of the whole body, when it was read to its end. */
  sha256?: string;
  /** The fetch or a body read rejected: `name: message` (`TimeoutError` when the page gave up). */
  error?: string;
}

/**
 * Fetches each of `paths` from inside `page` at once (through its service worker) and reads every
 * body to its end, giving up on each after `timeoutMs` (`AbortSignal.timeout`, headers and body
 * alike). Never rejects: a network error or the page's own time-out is a result, so a test can
 * assert that a fault ended in a response or an error, and never in a page that waits forever.
 */
export function boundedFetches(
  page: Page,
  paths: readonly string[],
  timeoutMs = 10_000,
): Promise<BoundedFetchResult[]> {
  return page.evaluate(
    async ({ paths, timeoutMs }) => {
      const hex = (bytes: ArrayBuffer) =>
        Array.from(new Uint8Array(bytes), (b) => b.toString(16).padStart(2, '0')).join('');
      const one = async (path: string): Promise<BoundedFetchResult> => {
        const result: BoundedFetchResult = { received: 0 };
        try {
          const response = await fetch(path, { signal: AbortSignal.timeout(timeoutMs) });
          result.status = response.status;
          const headers: Record<string, string> = {};
          response.headers.forEach((value, name) => (headers[name] = value));
          result.headers = headers;
          const parts: Uint8Array[] = [];
          const reader = (response.body as ReadableStream<Uint8Array>).getReader();
          for (;;) {
            const { done, value } = await reader.read();
            if (done) break;
            parts.push(value);
            result.received += value.byteLength;
          }
          const whole = new Uint8Array(result.received);
          let offset = 0;
          for (const part of parts) {
            whole.set(part, offset);
            offset += part.byteLength;
          }
          result.sha256 = hex(await crypto.subtle.digest('SHA-256', whole));
        } catch (error) {
          result.error = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
        }
        return result;
      };
      return Promise.all(paths.map(one));
    },
    { paths: [...paths], timeoutMs },
  );
}

/** {@link boundedFetches} of one path. */
export async function boundedFetch(
  page: Page,
  path: string,
  timeoutMs = 10_000,
): Promise<BoundedFetchResult> {
  const [result] = await boundedFetches(page, [path], timeoutMs);
  if (result === undefined) throw new Error('boundedFetches returned nothing');
  return result;
}
