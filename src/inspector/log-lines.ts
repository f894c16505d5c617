/**
 * What the inspector's log says of a cache event (stored, evicted… in any context) and of an
 * answer of the worker (an outcome): its kind, text and source. URLs are shown relative to
 * `base`, the page's location.
 */
import type { CacheEvent } from '../protocol/events.ts';
import type { OutcomeEvent } from '../protocol/outcome-events.ts';
import type { LogLine } from './event-log.ts';
import { displayUrl } from './format.ts';

export function eventLine(event: CacheEvent, base: string): Omit<LogLine, 'n'> {
  const urls = event.keys.map((key) => displayUrl(key.primary, base)).join(', ');
  return {
    time: event.time,
    kind: event.type,
    text: urls === '' ? '(everything)' : urls,
    source: `worker ${event.source.slice(0, 8)}`,
  };
}

export function outcomeLine(outcome: OutcomeEvent, base: string): Omit<LogLine, 'n'> {
  const answer = outcome.status === 0 ? 'network error' : String(outcome.status);
  return {
    time: outcome.time,
    kind: outcome.kind,
    text: `${outcome.method} ${displayUrl(outcome.url, base)} → ${answer}; ${outcome.cacheStatus ?? 'no Cache-Status'}`,
    source: outcome.clientId === '' ? 'no tab' : `tab ${outcome.clientId.slice(0, 8)}`,
  };
}
