/**
 * A time limit on the origin's answer: without one, an origin that accepts the connection and
 * never answers hangs the page's request for as long as the browser keeps the connection (no
 * browser gives `fetch` a timeout, and a page's abort does not reach the worker's own fetch).
 * Only the wait for the response headers is limited: a body that streams slowly is not cut.
 */

/** The origin sent no response headers within the limit. */
export class UpstreamTimeoutError extends Error {
  override readonly name = 'UpstreamTimeoutError';
  constructor(readonly timeoutMs: number) {
    super(`the origin sent no response within ${timeoutMs} ms`);
  }
}

/**
 * `fetchFn` with a limit of `timeoutMs` on the wait for the response headers: the request is
 * aborted with {@link UpstreamTimeoutError} when they do not arrive in time. The request's own
 * signal still aborts it, before and after the headers. `undefined` returns `fetchFn` itself.
 */
export function withHeadersTimeout(
  fetchFn: (request: Request) => Promise<Response>,
  timeoutMs: number | undefined,
): (request: Request) => Promise<Response> {
  if (timeoutMs === undefined) return fetchFn;
  return async (request) => {
    const controller = new AbortController();
    const follow = () => controller.abort(request.signal.reason);
    if (request.signal.aborted) follow();
    else request.signal.addEventListener('abort', follow, { once: true });
    const timer = setTimeout(
      () => controller.abort(new UpstreamTimeoutError(timeoutMs)),
      timeoutMs,
    );
    try {
      return await fetchFn(new Request(request, { signal: controller.signal }));
    } catch (error) {
      // Some runtimes reject with a generic AbortError rather than the abort reason.
      throw controller.signal.reason instanceof UpstreamTimeoutError
        ? controller.signal.reason
        : error;
    } finally {
      clearTimeout(timer);
    }
  };
}
