import { describe, expect, it } from 'vitest';
import { WriteTracker } from './write-tracker.ts';

const start = (url: string, started = 1, contentLength: string | null = '300') =>
  [
    url,
    new Response(null, {
      headers: contentLength === null ? {} : { 'content-length': contentLength },
    }),
    { freshUntil: 10_000, tags: ['t'] },
    started,
  ] as const;

describe('WriteTracker', () => {
  it('reports bytes written of the expected length until the write ends', () => {
    const tracker = new WriteTracker();
    const write = tracker.begin(...start('https://a.test/x'));
    write.wrote(100);
    write.wrote(50);
    expect(tracker.list()).toEqual([
      expect.objectContaining({ url: 'https://a.test/x', bytesWritten: 150, expectedBytes: 300 }),
    ]);
    expect(tracker.writing('https://a.test/x')).toBe(true);
    write.end();
    write.end();
    write.wrote(1);
    expect(tracker.list()).toEqual([]);
    expect(tracker.writing('https://a.test/x')).toBe(false);
  });

  it('has no expected length without a valid Content-Length', () => {
    const tracker = new WriteTracker();
    for (const length of [null, '', '-1', '1e3', '12abc', '99999999999999999999']) {
      tracker.begin(...start(`https://a.test/${length}`, 1, length));
    }
    expect(tracker.list().map((w) => w.expectedBytes)).toEqual([
      null,
      null,
      null,
      null,
      null,
      null,
    ]);
  });

  it('lists one write per URL, the latest, and counts its readers', () => {
    const tracker = new WriteTracker();
    tracker.begin(...start('https://a.test/x', 1));
    const second = tracker.begin(...start('https://a.test/x', 2));
    second.wrote(7);
    tracker.follow('https://a.test/x');
    tracker.follow('https://a.test/x');
    tracker.follow('https://a.test/other'); // nothing written there: ignored
    expect(tracker.list()).toEqual([
      expect.objectContaining({ started: 2, bytesWritten: 7, readers: 2 }),
    ]);
  });
});
