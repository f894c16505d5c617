import { describe, expect, it } from 'vitest';
import { displayUrl, formatBytes, formatDuration, formatFreshness, isFreshAt } from './format.ts';

describe('formatBytes', () => {
  it.each([
    [0, '0 B'],
    [512, '512 B'],
    [1023, '1023 B'],
    [1024, '1 KiB'],
    [1536, '1.5 KiB'],
    [327_680, '320 KiB'],
    [1024 * 1024 - 1, '1 MiB'],
    [250_000, '244 KiB'],
    [100 * 1024 * 1024, '100 MiB'],
    [1024 ** 3, '1 GiB'],
    [16 * 1024 ** 2, '16 MiB'],
    [1.25 * 1024 ** 3, '1.25 GiB'],
  ])('%d bytes read %s', (bytes, text) => {
    expect(formatBytes(bytes)).toBe(text);
  });

  it('never reads 1024 of a unit', () => {
    for (let bytes = 1000; bytes < 1024 ** 3 * 2; bytes = Math.ceil(bytes * 1.001)) {
      expect(formatBytes(bytes)).not.toMatch(/^102[4-9](\.\d+)? /);
    }
  });

  it('shows a dash for what is not a size', () => {
    expect(formatBytes(-1)).toBe('—');
    expect(formatBytes(Number.NaN)).toBe('—');
  });
});

describe('formatFreshness', () => {
  const now = 1_000_000;

  it('counts down whole seconds of freshness', () => {
    expect(formatFreshness(now + 4_500, now)).toBe('fresh for 4 s');
    expect(formatFreshness(now + 1_000, now)).toBe('fresh for 1 s');
    expect(formatFreshness(now + 600_000, now)).toBe('fresh for 10 min');
  });

  it('calls the last fraction of a second stale, in the text and in isFreshAt alike', () => {
    for (const left of [999, 500, 1, 0, -1, -999]) {
      expect(formatFreshness(now + left, now)).toBe('stale for 0 s');
      expect(isFreshAt(now + left, now)).toBe(false);
    }
    for (const left of [1_000, 1_001, 60_000]) {
      expect(formatFreshness(now + left, now)).toMatch(/^fresh for/);
      expect(isFreshAt(now + left, now)).toBe(true);
    }
  });

  it('counts staleness up', () => {
    expect(formatFreshness(now - 1_000, now)).toBe('stale for 1 s');
    expect(formatFreshness(now - 1_999, now)).toBe('stale for 1 s');
    expect(formatFreshness(now - 2_000, now)).toBe('stale for 2 s');
    expect(formatFreshness(now - 3 * 86_400_000, now)).toBe('stale for 3 d');
  });

  it('formats durations by their size', () => {
    expect(formatDuration(119)).toBe('119 s');
    expect(formatDuration(120)).toBe('2 min');
    expect(formatDuration(7_200)).toBe('2 h');
    expect(formatDuration(172_800)).toBe('2 d');
  });
});

describe('displayUrl', () => {
  const base = 'http://127.0.0.1:5173/';

  it('shows path and query of the page origin, decoded', () => {
    expect(
      displayUrl(
        'http://127.0.0.1:5173/api/resource?id=news&cc=max-age%3D5%2C+stale-if-error%3D86400',
        base,
      ),
    ).toBe('/api/resource?id=news&cc=max-age=5, stale-if-error=86400');
  });

  it('decodes UTF-8 and keeps other origins whole', () => {
    expect(displayUrl('https://example.com/caf%C3%A9?q=%E2%9C%93', base)).toBe(
      'https://example.com/café?q=✓',
    );
  });

  it('leaves malformed escapes and control characters escaped', () => {
    expect(displayUrl('http://127.0.0.1:5173/a%E0%A4?x=%ZZ&y=%0A', base)).toBe(
      '/a%E0%A4?x=%ZZ&y=%0A',
    );
  });

  it('returns what is not a URL as it is', () => {
    expect(displayUrl('http://[bad', base)).toBe('http://[bad');
  });
});
