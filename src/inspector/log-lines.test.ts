import { describe, expect, it } from 'vitest';
import type { OutcomeEvent } from '../protocol/outcome-events.ts';
import { eventLine, outcomeLine } from './log-lines.ts';

const BASE = 'https://app.test/page';

describe('eventLine', () => {
  it('lists the keys relative to the page, from the worker that posted it', () => {
    const line = eventLine(
      {
        type: 'stored',
        keys: [
          { namespace: '', primary: 'https://app.test/api/a?q=1' },
          { namespace: '', primary: 'https://cdn.test/b' },
        ],
        source: '3f2a1b0c9d8e',
        time: 42,
      },
      BASE,
    );
    expect(line).toEqual({
      time: 42,
      kind: 'stored',
      text: '/api/a?q=1, https://cdn.test/b',
      source: 'worker 3f2a1b0c',
    });
  });

  it('says (everything) for an event without keys (cleared)', () => {
    const line = eventLine({ type: 'cleared', keys: [], source: 'w', time: 1 }, BASE);
    expect(line.text).toBe('(everything)');
  });
});

describe('outcomeLine', () => {
  const outcome: OutcomeEvent = {
    type: 'outcome',
    kind: 'hit',
    url: 'https://app.test/api/a',
    method: 'GET',
    status: 200,
    cacheStatus: 'sw-http-cache; hit',
    phase: 'hit',
    bytes: 10,
    clientId: '81c0aa55-tab',
    source: 'w',
    time: 7,
  };

  it('gives the method, URL, status and Cache-Status of the tab that asked', () => {
    expect(outcomeLine(outcome, BASE)).toEqual({
      time: 7,
      kind: 'hit',
      text: 'GET /api/a → 200; sw-http-cache; hit',
      source: 'tab 81c0aa55',
    });
  });

  it('names a network error, a missing Cache-Status and an answer to no tab', () => {
    const line = outcomeLine(
      { ...outcome, kind: 'uncached', status: 0, cacheStatus: null, clientId: '' },
      BASE,
    );
    expect(line.text).toBe('GET /api/a → network error; no Cache-Status');
    expect(line.source).toBe('no tab');
  });
});
