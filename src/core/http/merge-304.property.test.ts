import assert from 'node:assert/strict';
import fc from 'fast-check';
import { describe, it } from 'vitest';
import type { HeaderList } from '../meta.ts';
import { parseCacheControl } from './cache-control.ts';
import { merge304Headers } from './merge-304.ts';
import { NOT_UPDATED_BY_304 } from './stored-headers.ts';
import {
  checkProperty,
  fieldValue,
  headerName,
  PROPERTY_TIMEOUT_MS,
} from '../testing/arbitraries.ts';

const RESPONSE_TIME = Date.UTC(2025, 0, 1);
const name = fc.oneof(headerName, fc.constantFrom(...NOT_UPDATED_BY_304, 'cache-control', 'x-b'));
const lines = fc.array(fc.tuple(name, fieldValue), { maxLength: 8 });
const valuesOf = (list: HeaderList, wanted: string): string[] =>
  list.filter(([n]) => n === wanted).map(([, v]) => v);

describe('merge304Headers (properties)', () => {
  it(
    'keeps the stored NOT_UPDATED_BY_304 fields, takes every other field the 304 sends',
    async () => {
      await checkProperty(
        fc.property(lines, lines, (storedLines, incomingLines) => {
          const stored: HeaderList = storedLines.map(([n, v]) => [n.toLowerCase(), v.trim()]);
          const incoming = new Headers();
          for (const [n, v] of incomingLines) incoming.append(n, v);
          const merged = merge304Headers(stored, incoming, RESPONSE_TIME);
          // Fields a 304 must not change: exactly the stored lines, whatever the 304 says —
          // except Connection-named fields, which the stored list never had after storedHeaders.
          for (const field of NOT_UPDATED_BY_304) {
            assert.deepEqual(valuesOf(merged, field), valuesOf(stored, field), field);
          }
          const connection = (incoming.get('connection') ?? '')
            .split(',')
            .map((s) => s.trim().toLowerCase());
          for (const [field, value] of incoming) {
            // storedHeaders drops Connection options and qualified no-cache fields (§3.1).
            const dropped = parseCacheControl(incoming.get('cache-control')).noCacheFields;
            if (NOT_UPDATED_BY_304.has(field) || connection.includes(field)) continue;
            if (dropped.includes(field)) continue;
            // Headers joins repeated fields; storedHeaders keeps the joined value (set-cookie aside).
            const expected = field === 'set-cookie' ? incoming.getSetCookie() : [value];
            assert.deepEqual(valuesOf(merged, field), expected, field);
          }
          // Exactly one Date (the 304's, or the receipt time), at most the 304's Age.
          assert.equal(valuesOf(merged, 'date').length, 1);
          assert.deepEqual(
            valuesOf(merged, 'age'),
            incoming.has('age') ? [incoming.get('age')] : [],
          );
        }),
        3_000,
      );
    },
    PROPERTY_TIMEOUT_MS,
  );
});
