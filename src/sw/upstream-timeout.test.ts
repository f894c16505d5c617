import { afterEach, describe, expect, it, vi } from 'vitest';
import { UpstreamTimeoutError, withHeadersTimeout } from './upstream-timeout.ts';

/** A fetch that answers after `ms` (headers), or never when `ms` is Infinity, honouring the signal. */
function originAnsweringAfter(ms: number) {
  const seen: Request[] = [];
  const fetchFn = (request: Request) => {
    seen.push(request);
    return new Promise<Response>((resolve, reject) => {
      const fail = () => {
        const reason: unknown = request.signal.reason;
        reject(reason instanceof Error ? reason : new DOMException('aborted', 'AbortError'));
      };
      if (request.signal.aborted) return fail();
      request.signal.addEventListener('abort', fail, { once: true });
      if (Number.isFinite(ms)) setTimeout(() => resolve(new Response('ok')), ms);
    });
  };
  return { fetchFn, seen };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('withHeadersTimeout', () => {
  it('rejects with UpstreamTimeoutError when the headers do not come in time', async () => {
    vi.useFakeTimers();
    const { fetchFn } = originAnsweringAfter(Number.POSITIVE_INFINITY);
    const answer = withHeadersTimeout(fetchFn, 1000)(new Request('https://o.test/a'));
    const settled = expect(answer).rejects.toBeInstanceOf(UpstreamTimeoutError);
    await vi.advanceTimersByTimeAsync(1000);
    await settled;
    await expect(answer).rejects.toMatchObject({ timeoutMs: 1000 });
  });

  it('passes an answer that comes in time, and does not limit the body after it', async () => {
    vi.useFakeTimers();
    const { fetchFn, seen } = originAnsweringAfter(500);
    const answer = withHeadersTimeout(fetchFn, 1000)(new Request('https://o.test/b'));
    await vi.advanceTimersByTimeAsync(500);
    const response = await answer;
    await vi.advanceTimersByTimeAsync(5000);
    expect(seen[0]?.signal.aborted).toBe(false);
    expect(await response.text()).toBe('ok');
  });

  it("still follows the request's own signal", async () => {
    const { fetchFn, seen } = originAnsweringAfter(Number.POSITIVE_INFINITY);
    const page = new AbortController();
    const answer = withHeadersTimeout(
      fetchFn,
      60_000,
    )(new Request('https://o.test/c', { signal: page.signal }));
    page.abort(new Error('the page went away'));
    await expect(answer).rejects.toThrow('the page went away');
    expect(seen[0]?.signal.aborted).toBe(true);
  });

  it('keeps the request as it was: method, headers, URL', async () => {
    const { fetchFn, seen } = originAnsweringAfter(0);
    await withHeadersTimeout(
      fetchFn,
      1000,
    )(new Request('https://o.test/d', { headers: { 'if-none-match': '"v1"' }, method: 'HEAD' }));
    expect(seen[0]?.url).toBe('https://o.test/d');
    expect(seen[0]?.method).toBe('HEAD');
    expect(seen[0]?.headers.get('if-none-match')).toBe('"v1"');
  });

  it('without a limit returns the fetch itself', () => {
    const { fetchFn } = originAnsweringAfter(0);
    expect(withHeadersTimeout(fetchFn, undefined)).toBe(fetchFn);
  });
});

describe('the upstreamTimeout option', () => {
  it('defaults to 30 s, 0 means no limit, and anything else invalid is refused', async () => {
    const { resolveOptions, DEFAULT_UPSTREAM_TIMEOUT } = await import('./config.ts');
    const origin = 'https://o.test';
    expect(resolveOptions({}, origin).upstreamTimeout).toBe(DEFAULT_UPSTREAM_TIMEOUT);
    expect(DEFAULT_UPSTREAM_TIMEOUT).toBe(30_000);
    expect(resolveOptions({ upstreamTimeout: 0 }, origin).upstreamTimeout).toBeUndefined();
    expect(resolveOptions({ upstreamTimeout: 1500 }, origin).upstreamTimeout).toBe(1500);
    for (const bad of [-1, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => resolveOptions({ upstreamTimeout: bad }, origin)).toThrow(/upstreamTimeout/);
    }
  });
});
