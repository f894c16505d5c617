/// <reference lib="webworker" />
// Which worker instance is running, for bench/firefox.mjs only, which runs it before a contender's
// worker script in the same file: Firefox has no DevTools protocol to stop a worker, so the bench
// waits past the idle timeout instead and must check that the worker did stop. A `message` event
// (not a fetch listener: the contender's fetch path is untouched) answers this instance's
// `performance.timeOrigin`, the wall-clock time its global was created: a new value after a wait
// is a new instance.

declare const self: ServiceWorkerGlobalScope;
export {};

self.addEventListener('message', (event) => {
  if (event.data === 'bench:timeOrigin') event.ports[0]?.postMessage(performance.timeOrigin);
});
