/// <reference lib="webworker" />
/**
 * The demo worker's fault log: every uncaught error and unhandled promise rejection in the
 * worker's global scope, kept in memory and served as JSON at `GET /__sw/faults`. The
 * reliability tests read it after injecting faults: a cache that survives a fault by leaking an
 * unhandled rejection has not survived it. The log lives as long as the worker does (a stopped
 * worker starts with an empty one), so tests read it before each stop.
 */
declare const self: ServiceWorkerGlobalScope;

/** The path the log is served at, same origin as the worker. */
export const FAULT_LOG_PATH = '/__sw/faults';

/** One entry of the log. */
export interface WorkerFault {
  kind: 'error' | 'unhandledrejection';
  message: string;
  time: number;
}

/** Starts recording and serving the log. A function, not an import side effect (see shell.ts). */
export function recordWorkerFaults(): void {
  const faults: WorkerFault[] = [];
  self.addEventListener('error', (event: ErrorEvent) => {
    faults.push({
      kind: 'error',
      message: describe(event.error ?? event.message),
      time: Date.now(),
    });
  });
  self.addEventListener('unhandledrejection', (event: PromiseRejectionEvent) => {
    faults.push({ kind: 'unhandledrejection', message: describe(event.reason), time: Date.now() });
  });
  self.addEventListener('fetch', (event: FetchEvent) => {
    const url = new URL(event.request.url);
    if (url.origin !== self.location.origin || url.pathname !== FAULT_LOG_PATH) return;
    event.respondWith(
      new Response(JSON.stringify(faults), {
        headers: { 'content-type': 'application/json', 'cache-control': 'no-store' },
      }),
    );
  });
}

function describe(reason: unknown): string {
  if (reason instanceof Error) return `${reason.name}: ${reason.message}`;
  try {
    return typeof reason === 'string' ? reason : JSON.stringify(reason);
  } catch {
    return Object.prototype.toString.call(reason);
  }
}
