/// <reference lib="webworker" />
/**
 * The control endpoint as a feature (`features: [controlEndpoint()]`): request statistics, the
 * writes in progress, the outcome stream, and the page's control API over comlink. A worker
 * without it answers requests the same way and ships none of this.
 */
import { announceChanges } from './announcements.ts';
import type { AbortCause } from './body-stream.ts';
import {
  controlledCache,
  listenForControl,
  type CacheParts,
  type ControlledCache,
} from './control.ts';
import { defineFeature, type HttpCacheFeature } from './features.ts';
import { outcomeBroadcast } from './outcome-broadcast.ts';
import { RequestStats, outcomeOf, type AnsweredRequest } from './stats.ts';
import { WriteTracker } from './write-tracker.ts';

/** The worker's pieces the endpoint reads (private to `HttpCacheHandler`). */
export interface ControlSource {
  readonly runtime: CacheParts['runtime'] & { readonly source: string };
  /** The cache's name, which names the outcome channel. */
  readonly name: string;
  /** The worker's origin: relative purge URLs resolve against it. */
  readonly origin: string;
  readonly setDebug: (on: boolean) => void;
  readonly log: (message: string, details?: unknown) => void;
}

/** What the endpoint hands back to the handler and the fetch flow. */
export interface ControlWiring {
  readonly cache: ControlledCache;
  readonly record: (answered: AnsweredRequest) => void;
  readonly storeFailed: (cause: AbortCause) => void;
  readonly writes: WriteTracker;
}

export type ControlFeature = (source: ControlSource) => ControlWiring;

/**
 * The page control API (`registerHttpCache`, `connectHttpCache`: stats, entries, purge, clear,
 * debug, the outcome stream) and the handler's `stats()`, `entries()` and `watchOutcomes()`.
 * Only same-origin windows may connect.
 */
export function controlEndpoint(): HttpCacheFeature {
  // The page client's subscribe() and the inspector hear the cache events.
  return defineFeature('control-endpoint', {
    control: wireControl,
    announcements: announceChanges,
  });
}

function wireControl({ runtime, name, origin, setDebug, log }: ControlSource): ControlWiring {
  const stats = new RequestStats();
  const writes = new WriteTracker();
  const outcomes = outcomeBroadcast(name, runtime.source);
  stats.subscribe((outcome) => outcomes.post(outcome));
  const cache = controlledCache({ stats, runtime, writes, outcomes, setDebug }, origin);
  listenForControl(cache, log);
  return {
    cache,
    writes,
    record: (answered) => stats.record(outcomeOf(answered, Date.now())),
    storeFailed: (cause) => stats.storeFailed(cause),
  };
}
