/// <reference lib="webworker" />
/**
 * The worker's end of the outcome stream: while a page holds a lease (`watchOutcomes()`, renewed
 * by the subscribed client), each answer is posted on the outcome channel. Without a lease
 * nothing is posted, so apps that do not watch pay nothing per request.
 */
import {
  OUTCOME_LEASE_MS,
  outcomeChannelName,
  type OutcomeEvent,
  type OutcomeKind,
} from '../protocol/outcome-events.ts';
import { bucketOf, type RequestOutcome } from './stats.ts';

const KIND: Record<ReturnType<typeof bucketOf>, OutcomeKind> = {
  hits: 'hit',
  misses: 'miss',
  stale: 'stale',
  uncached: 'uncached',
};

/** Where outcomes are posted: a `BroadcastChannel` in the worker, a fake in tests. */
export interface OutcomeChannel {
  postMessage(message: OutcomeEvent): void;
}

export class OutcomeBroadcast {
  #until = 0;
  #channel: OutcomeChannel | undefined;

  constructor(
    private readonly openChannel: () => OutcomeChannel,
    private readonly source: string,
    private readonly now: () => number,
  ) {}

  /** A page wants outcomes for the next lease. */
  watch(): void {
    this.#until = this.now() + OUTCOME_LEASE_MS;
  }

  post(outcome: RequestOutcome): void {
    if (this.now() > this.#until) return;
    this.#channel ??= this.openChannel();
    this.#channel.postMessage({
      type: 'outcome',
      kind: KIND[bucketOf(outcome.phase)],
      url: outcome.url,
      method: outcome.method,
      status: outcome.status,
      cacheStatus: outcome.cacheStatus,
      phase: outcome.phase,
      bytes: outcome.bytes ?? null,
      clientId: outcome.clientId ?? '',
      source: this.source,
      time: outcome.time,
    });
  }
}

/** The broadcast for the cache named `name`, on a `BroadcastChannel` opened on first use. */
export function outcomeBroadcast(name: string, source: string): OutcomeBroadcast {
  return new OutcomeBroadcast(
    () => new BroadcastChannel(outcomeChannelName(name)),
    source,
    Date.now,
  );
}
