import assert from 'node:assert/strict';
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { formatHttpDate, parseHttpDate } from './dates.ts';
import {
  checkProperty,
  httpDateField,
  httpDateText,
  httpTime,
  noiseText,
  PROPERTY_TIMEOUT_MS,
} from '../testing/arbitraries.ts';

const NOW = Date.UTC(2025, 5, 1);
const YEAR = 365.25 * 24 * 3600 * 1000;

// Each test is the it/checkProperty frame around its own property; duplicates pairs the frames.
describe('parseHttpDate (properties)', () => {
  it(
    'never throws, and gives null or a finite time in whole seconds',
    async () => {
      await checkProperty(
        fc.property(fc.oneof(noiseText, httpDateField), httpTime, (text, now) => {
          const time = parseHttpDate(text, now);
          if (time === null) return;
          assert.ok(Number.isFinite(time) && time % 1000 === 0, `${text} → ${time}`);
        }),
        5_000,
      );
    },
    PROPERTY_TIMEOUT_MS,
  );

  it(
    'reads back what formatHttpDate writes, for any time in years 0000-9999',
    async () => {
      await checkProperty(
        fc.property(httpTime, (time) => {
          const text = formatHttpDate(time);
          assert.equal(parseHttpDate(text, NOW), Math.floor(time / 1000) * 1000, text);
        }),
        5_000,
      );
    },
    PROPERTY_TIMEOUT_MS,
  );

  it(
    'accepts the three formats, and reads an RFC 850 year as at most 50 years ahead',
    async () => {
      await checkProperty(
        fc.property(httpDateText, (text) => {
          const time = parseHttpDate(text, NOW);
          assert.notEqual(time, null, text);
          if (/-\d\d /.test(text)) assert.ok((time ?? 0) - NOW <= 50 * YEAR, text);
        }),
        3_000,
      );
    },
    PROPERTY_TIMEOUT_MS,
  );
});
