import assert from 'node:assert/strict';
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { CACHE_EVENT_TYPES, parseCacheEvent } from './events.ts';
import { checkProperty, PROPERTY_TIMEOUT_MS } from '../core/testing/arbitraries.ts';

const eventKey = fc.record(
  { namespace: fc.string(), primary: fc.string(), variance: fc.string() },
  { requiredKeys: ['namespace', 'primary'], noNullPrototype: true },
);
const validEvent = fc.record(
  {
    type: fc.constantFrom(...CACHE_EVENT_TYPES),
    keys: fc.array(eventKey, { maxLength: 3 }),
    source: fc.string({ minLength: 1 }),
    time: fc.double({ noNaN: true, noDefaultInfinity: true }),
  },
  { noNullPrototype: true },
);
/** A value of the wrong type for any field. */
const wrong = fc.oneof(
  fc.constantFrom(null, undefined, '', 'nope', Number.NaN, Infinity, true, [], {}),
  fc.anything(),
);

// Each test is the it/checkProperty frame around its own property; duplicates pairs the frames.
describe('parseCacheEvent (properties)', () => {
  it(
    'never throws on anything',
    async () => {
      await checkProperty(
        fc.property(
          fc.anything({ withNullPrototype: true, withMap: true, withSet: true }),
          (data) => {
            const event = parseCacheEvent(data);
            if (event !== null) assert.ok(CACHE_EVENT_TYPES.includes(event.type));
          },
        ),
        3_000,
      );
    },
    PROPERTY_TIMEOUT_MS,
  );

  it(
    'accepts every valid event as it is, and rejects it with any one field broken',
    async () => {
      await checkProperty(
        fc.property(
          validEvent,
          fc.constantFrom(
            'type',
            'keys',
            'source',
            'time',
            'key.namespace',
            'key.primary',
            'key.variance',
          ),
          wrong,
          (event, field, value) => {
            assert.deepEqual(parseCacheEvent(event), event);
            const broken: Record<string, unknown> = {
              ...event,
              keys: event.keys.map((k) => ({ ...k })),
            };
            if (field.startsWith('key.')) {
              const keys = broken.keys as Record<string, unknown>[];
              const first = keys[0] ?? { namespace: 'n', primary: 'p' };
              keys[0] = { ...first, [field.slice(4)]: value };
              broken.keys = keys;
            } else {
              broken[field] = value;
            }
            const stillValid = (() => {
              switch (field) {
                case 'type':
                  return (CACHE_EVENT_TYPES as readonly unknown[]).includes(value);
                case 'keys':
                  return Array.isArray(value) && value.length === 0;
                case 'source':
                  return typeof value === 'string' && value !== '';
                case 'time':
                  return typeof value === 'number' && Number.isFinite(value);
                case 'key.variance':
                  return value === undefined || typeof value === 'string';
                default:
                  return typeof value === 'string';
              }
            })();
            assert.equal(
              parseCacheEvent(broken) !== null,
              stillValid,
              `${field} = ${fc.stringify(value)}`,
            );
          },
        ),
        3_000,
      );
    },
    PROPERTY_TIMEOUT_MS,
  );
});
