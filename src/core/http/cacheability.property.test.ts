import assert from 'node:assert/strict';
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { currentAge } from './age.ts';
import { parseCacheControl } from './cache-control.ts';
import { responseCacheability } from './cacheability.ts';
import { evaluateReuse } from './request-directives.ts';
import { varyHeaderNames } from './variance.ts';
import {
  cacheControlText,
  checkProperty,
  deltaSecondsText,
  httpDateField,
  PROPERTY_TIMEOUT_MS,
  validMutatedOrNoise,
} from '../testing/arbitraries.ts';

const REQUEST_TIME = Date.UTC(2025, 0, 1);
const headerSafe = (text: string): string => text.replace(/[\0\r\n]/g, '');

const responseFields = fc.record(
  {
    'cache-control': validMutatedOrNoise(cacheControlText).map(headerSafe),
    expires: httpDateField.map(headerSafe),
    date: httpDateField.map(headerSafe),
    age: fc.oneof(deltaSecondsText, fc.constant('10, 20')),
    'last-modified': httpDateField.map(headerSafe),
    etag: fc.constantFrom('"a"', 'W/"b"', 'junk'),
    vary: fc.constantFrom('accept', '*', 'Accept, *', ''),
  },
  { requiredKeys: [] },
);
const status = fc.constantFrom(
  200,
  203,
  204,
  206,
  301,
  302,
  304,
  404,
  410,
  500,
  503,
  100,
  199,
  600,
);
const requestCc = fc.option(validMutatedOrNoise(cacheControlText).map(headerSafe), {
  nil: undefined,
});

describe('responseCacheability and evaluateReuse (properties)', () => {
  it(
    'never throw; stored metas keep the freshness invariants; no-store, 206 and Vary: * are never stored',
    async () => {
      const outcomes = new Map<string, number>();
      const count = (outcome: string): void => {
        outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
      };
      await checkProperty(
        fc.property(
          responseFields,
          status,
          fc.nat({ max: 10_000 }),
          requestCc,
          fc.integer({ min: -10_000_000, max: 10_000_000 }),
          (fields, code, delay, requestCacheControl, later) => {
            const headers = new Headers(fields);
            const responseTime = REQUEST_TIME + delay;
            const request = {
              method: 'GET',
              url: 'https://example.test/',
              headers: new Headers(
                requestCacheControl === undefined ? {} : { 'cache-control': requestCacheControl },
              ),
            };
            const result = responseCacheability(
              request,
              { status: code, statusText: '', headers },
              { requestTime: REQUEST_TIME, responseTime },
            );
            const cc = parseCacheControl(headers.get('cache-control'));
            count(result.cacheable ? 'stored' : 'refused');
            if (!result.cacheable) return;
            const { meta } = result;
            assert.ok(!(cc.noStore && !cc.mustUnderstand), 'no-store stored');
            assert.ok(
              code !== 206 && code !== 304 && code >= 200 && code <= 599,
              `status ${code} stored`,
            );
            assert.ok(!varyHeaderNames(headers).includes('*'), 'Vary: * stored');
            assert.ok(Number.isFinite(meta.freshUntil) && meta.initialAge >= 0, 'times');
            assert.ok(
              meta.initialAge >= delay / 1000 - 1e-9,
              'initial age below the response delay',
            );
            assert.ok(meta.freshUntil <= responseTime + 2 ** 31 * 1000, 'lifetime above 2^31 s');
            assert.ok(
              meta.freshUntil >= responseTime - meta.initialAge * 1000 - 1e-6,
              'negative lifetime',
            );
            assert.ok(meta.staleWhileRevalidateUntil >= meta.freshUntil, 'SWR before freshUntil');
            assert.ok(meta.staleIfErrorUntil >= meta.freshUntil, 'SIE before freshUntil');
            if (cc.staleWhileRevalidate === undefined || meta.mustRevalidate) {
              assert.equal(meta.staleWhileRevalidateUntil, meta.freshUntil);
            }
            if (cc.mustRevalidate || cc.noCache) assert.equal(meta.mustRevalidate, true);

            const now = responseTime + later;
            assert.ok(currentAge(meta, now) >= 0, 'negative age');
            const decision = evaluateReuse(meta, request.headers, now);
            count(decision.action);
            if (decision.action === 'use') {
              const rcc = parseCacheControl(requestCacheControl);
              assert.ok(now < meta.freshUntil, 'used while stale');
              assert.ok(!rcc.noCache, 'used despite request no-cache');
              if (rcc.minFresh !== undefined)
                assert.ok((meta.freshUntil - now) / 1000 >= rcc.minFresh, 'min-fresh');
              if (rcc.maxAge !== undefined && !cc.immutable)
                assert.ok(currentAge(meta, now) <= rcc.maxAge, 'max-age');
            }
            if (decision.action === 'use-stale' || decision.action === 'use-stale-and-revalidate') {
              assert.ok(now >= meta.freshUntil && !meta.mustRevalidate, decision.action);
            }
          },
        ),
        5_000,
      );
      // Not vacuous: every kind of answer came up (serving stale needs a rare mix of fields).
      const minimum = {
        stored: 500,
        refused: 500,
        use: 100,
        revalidate: 100,
        'use-stale': 1,
        'use-stale-and-revalidate': 1,
      };
      for (const [outcome, least] of Object.entries(minimum)) {
        assert.ok(
          (outcomes.get(outcome) ?? 0) >= least,
          `${outcome}: ${JSON.stringify([...outcomes])}`,
        );
      }
    },
    PROPERTY_TIMEOUT_MS,
  );
});
