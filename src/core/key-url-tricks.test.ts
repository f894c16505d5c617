/**
 * URL spellings the e2e origin (127.0.0.1 on a random port) cannot show: host names with
 * letters and default ports. Each pair is one resource by WHATWG URL parsing, so one cache key;
 * the e2e spec (reliability-security-keys, URL tricks) checks the rest in browsers.
 */
import { describe, expect, it } from 'vitest';
import { normalizeUrl } from './key.ts';

describe('normalizeUrl: spellings of one resource give one key', () => {
  it.each([
    ['HTTPS://App.Example.COM/a', 'https://app.example.com/a'],
    ['https://app.example.com:443/a', 'https://app.example.com/a'],
    ['http://app.example.com:80/a', 'http://app.example.com/a'],
    ['https://app.example.com:0443/a#f', 'https://app.example.com/a'],
    ['https://app.example.com./a', 'https://app.example.com./a'], // a trailing dot is kept
    ['https://xn--bcher-kva.example/a', 'https://xn--bcher-kva.example/a'],
    ['https://bücher.example/a', 'https://xn--bcher-kva.example/a'],
  ])('%s → %s', (spelling, key) => {
    expect(normalizeUrl(spelling)).toBe(key);
  });

  it('keeps a non-default port, userinfo and query differences apart', () => {
    const keys = [
      'https://app.example.com:8443/a',
      'https://app.example.com/a',
      'https://user@app.example.com/a',
      'https://app.example.com/a?',
      'https://app.example.com/a?x=%2F',
      'https://app.example.com/a?x=%2f',
    ].map((url) => normalizeUrl(url));
    expect(new Set(keys).size).toBe(keys.length);
  });
});
