/**
 * A worker installed without `controlEndpoint()` and the page's control client, end to end over
 * a real MessageChannel: the client's first call fails at once with the worker's message, which
 * says what to add, instead of waiting for its timeout. (Both layers meet here, at the root of
 * src/, as they do in the browser.)
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { HttpCacheClient } from './client/control-client.ts';
import { WorkerUnavailableError } from './client/connection.ts';
import { refuseControlUnlessEndpoint } from './sw/control-refusal.ts';

/** The worker global's `message` listeners, and a worker whose `postMessage` reaches them. */
function workerWithoutControl() {
  const listeners: ((event: { data: unknown; ports: readonly MessagePort[] }) => void)[] = [];
  vi.stubGlobal('self', {
    addEventListener: (type: string, listener: (typeof listeners)[number]) => {
      if (type === 'message') listeners.push(listener);
    },
  });
  refuseControlUnlessEndpoint(false);
  const worker = {
    postMessage(data: unknown, transfer: MessagePort[] = []) {
      for (const listener of listeners) listener({ data, ports: transfer });
    },
  } as unknown as ServiceWorker;
  vi.stubGlobal('navigator', {
    serviceWorker: { controller: worker, addEventListener() {}, removeEventListener() {} },
  });
  return { worker, listeners };
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('a worker without the control endpoint', () => {
  it('refuses the control client at once, saying to add controlEndpoint()', async () => {
    const { worker } = workerWithoutControl();
    const registration = { active: worker } as unknown as ServiceWorkerRegistration;
    const client = new HttpCacheClient(registration, { timeout: 3_000 });
    try {
      const error = await client.stats().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(Error);
      expect(error).not.toBeInstanceOf(WorkerUnavailableError);
      expect((error as Error).message).toMatch(
        /no control endpoint: install it with features: \[controlEndpoint\(\)\]/,
      );
    } finally {
      client.close();
    }
  });

  it('leaves every other message to its own listeners', () => {
    const { worker } = workerWithoutControl();
    const port = { postMessage: vi.fn(), close: vi.fn() };
    worker.postMessage({ type: 'SKIP_WAITING' }, [port]);
    expect(port.postMessage).not.toHaveBeenCalled();
    worker.postMessage({ type: 'sw-http-cache:control' }, [port]);
    expect(port.postMessage).toHaveBeenCalledWith(expect.objectContaining({ kind: 'refused' }));
  });
});
