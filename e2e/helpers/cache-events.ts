import type { Page } from '@playwright/test';

/** A cache event as a page receives it on the BroadcastChannel (see src/protocol/events.ts). */
export interface ReceivedCacheEvent {
  type: string;
  keys: { namespace: string; primary: string; variance?: string }[];
  source: string;
  time: number;
}

declare global {
  interface Window {
    /** Filled by {@link recordCacheEvents}. */
    receivedCacheEvents?: ReceivedCacheEvent[];
  }
}

/**
 * Starts recording in `page` every message on `BroadcastChannel('sw-http-cache:events')`, the
 * channel the worker announces stored/evicted/purged entries on. Read them with
 * {@link receivedCacheEvents}.
 */
export async function recordCacheEvents(page: Page, name = 'sw-http-cache'): Promise<void> {
  await page.evaluate((channelName) => {
    const received: ReceivedCacheEvent[] = [];
    window.receivedCacheEvents = received;
    const channel = new BroadcastChannel(channelName);
    channel.onmessage = (event: MessageEvent<ReceivedCacheEvent>) => received.push(event.data);
  }, `${name}:events`);
}

/** The events recorded so far in `page`, oldest first. */
export function receivedCacheEvents(page: Page): Promise<ReceivedCacheEvent[]> {
  return page.evaluate(() => window.receivedCacheEvents ?? []);
}
