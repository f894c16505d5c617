/** The verdicts of the bench's origin-traffic section (bench/lib/traffic-judge.mjs). */
import { expect, test } from '@playwright/test';
import { SLACK_MS, judge, replayMs, servedPastFreshness } from '../bench/lib/traffic-judge.mjs';

const EPOCH = 1_000_000;
/** Replaced at trace second 60; `max-age` 2 minutes and `stale-while-revalidate` 10 minutes. */
const api = { id: 'api', policy: { maxAge: 120, swr: 600 }, changes: [60, 600] };
const doc = { id: 'doc', policy: { noCache: true }, changes: [60] };
const at = (traceSeconds: number, extraMs = 0) => EPOCH + replayMs(traceSeconds) + extraMs;

test('an answer with the version current when it was asked for is current', () => {
  expect(judge(api, EPOCH, { version: 0, at: at(59) })).toBe('current');
  expect(judge(api, EPOCH, { version: 1, at: at(61) })).toBe('current');
  // Newer than the request's time (the version changed while it was on its way): current too.
  expect(judge(api, EPOCH, { version: 1, at: at(59) })).toBe('current');
});

test('an outdated answer is allowed within max-age + stale-while-revalidate of its replacement', () => {
  expect(judge(api, EPOCH, { version: 0, at: at(61) })).toBe('allowed');
  expect(judge(api, EPOCH, { version: 0, at: at(60 + 720, SLACK_MS) })).toBe('allowed');
  expect(judge(api, EPOCH, { version: 0, at: at(60 + 720, SLACK_MS + 1) })).toBe('forbidden');
  // Version 1 is judged from its own replacement, not version 0's.
  expect(judge(api, EPOCH, { version: 1, at: at(600 + 700) })).toBe('allowed');
});

test('no-cache allows nothing outdated beyond the slack', () => {
  expect(judge(doc, EPOCH, { version: 0, at: at(60, SLACK_MS) })).toBe('allowed');
  expect(judge(doc, EPOCH, { version: 0, at: at(60, SLACK_MS + 1) })).toBe('forbidden');
  const noStore = { id: 'n', policy: { noStore: true, maxAge: 600 }, changes: [60] };
  expect(judge(noStore, EPOCH, { version: 0, at: at(60, SLACK_MS + 1) })).toBe('forbidden');
});

test('a copy is served past its freshness once max-age + swr have passed since the origin sent it', () => {
  const sentAt = at(100);
  expect(servedPastFreshness(api, { sentAt, at: at(100 + 720, SLACK_MS) })).toBe(false);
  expect(servedPastFreshness(api, { sentAt, at: at(100 + 720, SLACK_MS + 1) })).toBe(true);
  // no-cache: any answer not validated after the request was sent, whatever its version.
  expect(servedPastFreshness(doc, { sentAt: at(10, 1), at: at(10) })).toBe(false);
  expect(servedPastFreshness(doc, { sentAt: at(10), at: at(10, SLACK_MS + 1) })).toBe(true);
  expect(servedPastFreshness({ id: 'h', policy: {}, changes: [] }, { sentAt: 0, at: 1e9 })).toBe(
    false,
  );
});

test('a changed resource with heuristic freshness cannot be judged', () => {
  const heuristic = { id: 'h', policy: {}, changes: [60] };
  expect(() => judge(heuristic, EPOCH, { version: 0, at: at(61) })).toThrow(/heuristic/);
});
