/**
 * Fetches started inside a page whose bodies are read chunk by chunk, with their progress kept in
 * a window variable, so a test can see *when* bytes arrive (ordering), not only what arrived.
 * Many fetches can run at once in one page; each gets an id.
 */
import { expect } from '@playwright/test';
import type { Page } from '@playwright/test';

/** What one streamed fetch has seen so far. */
export interface StreamedFetchState {
  /** Response status, once the headers arrived. */
  status?: number;
  /** Lower-case header names, once the headers arrived. */
  headers?: Record<string, string>;
  /** Body bytes read so far. */
  received: number;
  /** The body was read to its end (a `done` read), not cut short. */
  done: boolean;
  /** The fetch or a body read rejected (a network error): its message. */
  error?: string;
  /** Hex SHA-256 of the whole body, once done (`digest: 'sha256'`). */
  sha256?: string;
  /** Adler-32 of the whole body so far (`digest: 'adler32'`: for bodies too big to keep). */
  adler32?: number;
}

export interface StreamedFetchOptions {
  /** How to fingerprint the body: keep it and hash it (default), or a running checksum. */
  digest?: 'sha256' | 'adler32';
  /** Read pacing: after every `pauseEveryBytes` bytes read, wait `pauseMs` (a slow reader). */
  pauseEveryBytes?: number;
  pauseMs?: number;
}

interface PageSide {
  states: StreamedFetchState[];
}

declare global {
  interface Window {
    /** Set by {@link startStreamedFetches}. */
    __streamedFetches?: PageSide;
  }
}

/**
 * Starts `count` fetches of `path` in `page` at once (in one task, so they leave together) and
 * returns their ids at once, without waiting for any response.
 */
export async function startStreamedFetches(
  page: Page,
  path: string,
  count = 1,
  options: StreamedFetchOptions = {},
): Promise<number[]> {
  return page.evaluate(
    ({ path, count, options }) => {
      const side = (window.__streamedFetches ??= { states: [] });
      const digest = options.digest ?? 'sha256';
      const ids: number[] = [];
      const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

      const run = async (state: StreamedFetchState): Promise<void> => {
        const kept: Uint8Array[] = [];
        let a = 1;
        let b = 0;
        let sincePause = 0;
        try {
          const response = await fetch(path);
          state.status = response.status;
          const headers: Record<string, string> = {};
          response.headers.forEach((value, name) => (headers[name] = value));
          state.headers = headers;
          const reader = (response.body as ReadableStream<Uint8Array>).getReader();
          for (;;) {
            const { done, value } = await reader.read();
            if (done) break;
            if (digest === 'sha256') kept.push(value);
            else {
              for (const byte of value) {
                a = (a + byte) % 65521;
                b = (b + a) % 65521;
              }
              state.adler32 = ((b << 16) | a) >>> 0;
            }
            state.received += value.byteLength;
            sincePause += value.byteLength;
            if (options.pauseEveryBytes !== undefined && sincePause >= options.pauseEveryBytes) {
              sincePause = 0;
              await sleep(options.pauseMs ?? 0);
            }
          }
          if (digest === 'sha256') {
            const whole = new Uint8Array(state.received);
            let offset = 0;
            for (const part of kept) {
              whole.set(part, offset);
              offset += part.byteLength;
            }
            kept.length = 0;
            const hash = new Uint8Array(await crypto.subtle.digest('SHA-256', whole));
            state.sha256 = Array.from(hash, (x) => x.toString(16).padStart(2, '0')).join('');
          }
          state.done = true;
        } catch (error) {
          state.error = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
        }
      };

      for (let i = 0; i < count; i++) {
        const state: StreamedFetchState = { received: 0, done: false };
        ids.push(side.states.push(state) - 1);
        void run(state);
      }
      return ids;
    },
    { path, count, options },
  );
}

/** The current state of the fetches `ids` of `page`. */
export async function streamedFetchStates(
  page: Page,
  ids: readonly number[],
): Promise<StreamedFetchState[]> {
  return page.evaluate(
    (ids) =>
      ids.map((id) => ({
        ...(window.__streamedFetches?.states[id] ?? { received: -1, done: false }),
      })),
    [...ids],
  );
}

/** Waits until every fetch of `ids` has ended (read to its end, or failed) and returns them. */
export async function settledStreamedFetches(
  page: Page,
  ids: readonly number[],
  timeout = 20_000,
): Promise<StreamedFetchState[]> {
  await expect
    .poll(
      async () =>
        (await streamedFetchStates(page, ids)).every((s) => s.done || s.error !== undefined),
      { message: `streamed fetches ${ids.join(',')} settle`, timeout },
    )
    .toBe(true);
  return streamedFetchStates(page, ids);
}

/** Waits until every fetch of `ids` has read at least `bytes` body bytes. */
export async function waitForReceived(
  page: Page,
  ids: readonly number[],
  bytes: number,
  timeout = 10_000,
): Promise<void> {
  await expect
    .poll(async () => (await streamedFetchStates(page, ids)).map((s) => s.received >= bytes), {
      message: `streamed fetches ${ids.join(',')} read ${bytes} bytes`,
      timeout,
    })
    .toEqual(ids.map(() => true));
}
