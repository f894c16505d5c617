/**
 * Samples the JS heap of the origin's service worker through the DevTools protocol (Chromium
 * only): a page session attaches to the worker target and relays `Runtime.getHeapUsage`.
 */
import type { CDPSession, Page } from '@playwright/test';

export interface HeapSampler {
  /** Largest sample so far, in bytes: JS heap used plus ArrayBuffer backing stores. */
  readonly peak: () => number;
  /** Every sample, in bytes. */
  readonly samples: () => readonly number[];
  /** Stops sampling and detaches. */
  stop(): Promise<void>;
}

interface TargetInfo {
  targetId: string;
  type: string;
  url: string;
}

/**
 * Starts sampling the worker's heap every `intervalMs`, after a forced garbage collection when
 * `collectGarbage` is set. Throws outside Chromium.
 */
export async function sampleWorkerHeap(
  page: Page,
  {
    intervalMs = 100,
    collectGarbage = false,
  }: { intervalMs?: number; collectGarbage?: boolean } = {},
): Promise<HeapSampler> {
  const cdp: CDPSession = await page.context().newCDPSession(page);
  const { targetInfos }: { targetInfos: TargetInfo[] } = await cdp.send('Target.getTargets');
  const worker = targetInfos.find((t) => t.type === 'service_worker');
  if (worker === undefined) throw new Error('no service worker target');
  const { sessionId } = await cdp.send('Target.attachToTarget', {
    targetId: worker.targetId,
    flatten: false,
  });

  // Non-flat sessions: commands and answers travel as JSON strings through the page's session.
  let nextId = 1;
  const pending = new Map<number, (result: unknown) => void>();
  cdp.on('Target.receivedMessageFromTarget', (event: { sessionId: string; message: string }) => {
    if (event.sessionId !== sessionId) return;
    const reply = JSON.parse(event.message) as { id?: number; result?: unknown };
    if (reply.id !== undefined) pending.get(reply.id)?.(reply.result);
    if (reply.id !== undefined) pending.delete(reply.id);
  });
  const send = (method: string): Promise<unknown> => {
    const id = nextId++;
    const answered = new Promise<unknown>((resolve) => pending.set(id, resolve));
    void cdp.send('Target.sendMessageToTarget', {
      sessionId,
      message: JSON.stringify({ id, method }),
    });
    return answered;
  };

  const samples: number[] = [];
  let running = true;
  const loop = (async () => {
    while (running) {
      // With collection first, a sample is what is live, not garbage awaiting the collector.
      if (collectGarbage) await send('HeapProfiler.collectGarbage');
      const usage = (await send('Runtime.getHeapUsage')) as
        { usedSize?: number; backingStorageSize?: number } | undefined;
      // ArrayBuffer contents (response chunks) live outside the JS heap: count them too.
      if (typeof usage?.usedSize === 'number')
        samples.push(usage.usedSize + (usage.backingStorageSize ?? 0));
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  })();

  return {
    peak: () => Math.max(0, ...samples),
    samples: () => samples,
    async stop() {
      running = false;
      await Promise.race([loop, new Promise((resolve) => setTimeout(resolve, 2_000))]);
      await cdp.detach().catch(() => undefined);
    },
  };
}
