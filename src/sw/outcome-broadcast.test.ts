import { describe, expect, it } from 'vitest';
import { OUTCOME_LEASE_MS, parseOutcomeEvent } from '../protocol/outcome-events.ts';
import { OutcomeBroadcast } from './outcome-broadcast.ts';

const outcome = {
  url: 'https://a.test/x',
  method: 'GET',
  phase: 'revalidated' as const,
  status: 200,
  cacheStatus: 'sw-http-cache; fwd=stale; fwd-status=304',
  time: 5,
  bytes: 14,
  clientId: 'tab-1',
};

describe('OutcomeBroadcast', () => {
  it('posts nothing (and opens no channel) until a page watches, and stops after the lease', () => {
    let now = 1_000;
    const posted: unknown[] = [];
    let opened = 0;
    const broadcast = new OutcomeBroadcast(
      () => {
        opened++;
        return { postMessage: (m) => posted.push(m) };
      },
      'worker-1',
      () => now,
    );
    broadcast.post(outcome);
    expect(opened).toBe(0);
    broadcast.watch();
    broadcast.post(outcome);
    now += OUTCOME_LEASE_MS + 1;
    broadcast.post(outcome);
    expect(posted).toHaveLength(1);
    // What is posted is what pages accept.
    expect(parseOutcomeEvent(posted[0])).toEqual({
      type: 'outcome',
      kind: 'stale',
      url: 'https://a.test/x',
      method: 'GET',
      status: 200,
      cacheStatus: 'sw-http-cache; fwd=stale; fwd-status=304',
      phase: 'revalidated',
      bytes: 14,
      clientId: 'tab-1',
      source: 'worker-1',
      time: 5,
    });
  });
});
