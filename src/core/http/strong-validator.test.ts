import { describe, expect, it } from 'vitest';
import type { HeaderList } from '../meta.ts';
import { sameRepresentation, strongValidator } from './strong-validator.ts';

const NOW = Date.UTC(2024, 0, 15);
const MODIFIED = 'Mon, 15 Jan 2024 10:00:00 GMT';
const MODIFIED_MS = Date.UTC(2024, 0, 15, 10);

describe('strongValidator', () => {
  it.each<{ rfc: string; headers: HeaderList; expected: ReturnType<typeof strongValidator> }>([
    { rfc: '§8.8.3 strong tag', headers: [['etag', '"a"']], expected: { etag: '"a"' } },
    { rfc: '§8.8.3 weak tag', headers: [['etag', 'W/"a"']], expected: null },
    { rfc: '§8.8.3 malformed tag', headers: [['etag', 'a']], expected: null },
    { rfc: 'nothing', headers: [], expected: null },
    {
      rfc: '§8.8.2.2 Date 60 s after Last-Modified',
      headers: [
        ['last-modified', MODIFIED],
        ['date', 'Mon, 15 Jan 2024 10:01:00 GMT'],
      ],
      expected: { lastModified: MODIFIED_MS },
    },
    {
      rfc: '§8.8.2.2 Date 59 s after Last-Modified',
      headers: [
        ['last-modified', MODIFIED],
        ['date', 'Mon, 15 Jan 2024 10:00:59 GMT'],
      ],
      expected: null,
    },
    { rfc: '§8.8.2.2 no Date', headers: [['last-modified', MODIFIED]], expected: null },
    {
      rfc: '§8.8.3 a weak tag does not hide a strong Last-Modified',
      headers: [
        ['etag', 'W/"a"'],
        ['last-modified', MODIFIED],
        ['date', 'Tue, 16 Jan 2024 00:00:00 GMT'],
      ],
      expected: { lastModified: MODIFIED_MS },
    },
    {
      rfc: '§8.8.3 the tag wins when both are strong',
      headers: [
        ['etag', '"a"'],
        ['last-modified', MODIFIED],
        ['date', 'Tue, 16 Jan 2024 00:00:00 GMT'],
      ],
      expected: { etag: '"a"' },
    },
  ])('$rfc', ({ headers, expected }) => {
    expect(strongValidator(headers, NOW)).toEqual(expected);
  });

  it('matches tags with tags and dates with dates only', () => {
    expect(sameRepresentation({ etag: '"a"' }, { etag: '"a"' })).toBe(true);
    expect(sameRepresentation({ etag: '"a"' }, { etag: '"b"' })).toBe(false);
    expect(sameRepresentation({ lastModified: 1 }, { lastModified: 1 })).toBe(true);
    expect(sameRepresentation({ lastModified: 1 }, { lastModified: 2 })).toBe(false);
    expect(sameRepresentation({ etag: '"a"' }, { lastModified: 1 })).toBe(false);
  });
});
