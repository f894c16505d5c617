import assert from 'node:assert/strict';
import fc from 'fast-check';
import { describe, it } from 'vitest';
// The same functions as control-protocol.test.ts imports: examples there, properties here.
import {
  checkBoolean,
  CONTROL_MESSAGE,
  CONTROL_PROTOCOL_VERSION,
  helloError,
  helloMessage,
  isControlMessage,
  parseReply,
  resolvePurgeTarget,
} from './control-protocol.ts';
import { checkProperty, PROPERTY_TIMEOUT_MS, urlText } from '../core/testing/arbitraries.ts';

const BASE = 'https://example.test/app/';
const anything = fc.anything({ withNullPrototype: true, withMap: true, withSet: true });
const reply = fc.oneof(
  fc.record(
    {
      type: fc.constant(CONTROL_MESSAGE),
      kind: fc.constant('ready' as const),
      version: fc.integer(),
    },
    { noNullPrototype: true },
  ),
  fc.record(
    {
      type: fc.constant(CONTROL_MESSAGE),
      kind: fc.constant('refused' as const),
      error: fc.string(),
    },
    { noNullPrototype: true },
  ),
);

describe('control protocol validators (properties)', () => {
  it(
    'never throw on anything (resolvePurgeTarget and checkBoolean only TypeError)',
    async () => {
      await checkProperty(
        fc.property(anything, (data) => {
          isControlMessage(data);
          const hello = helloError(data);
          assert.ok(hello === null || typeof hello === 'string');
          const parsed = parseReply(data);
          if (parsed !== null) assert.equal(parsed.type, CONTROL_MESSAGE);
          for (const check of [
            () => resolvePurgeTarget(data, BASE),
            () => checkBoolean(data, 'x'),
          ]) {
            try {
              check();
            } catch (error) {
              assert.ok(error instanceof TypeError, fc.stringify(error));
            }
          }
        }),
        3_000,
      );
    },
    PROPERTY_TIMEOUT_MS,
  );

  it(
    'accept the documented shapes and refuse them with one field changed',
    async () => {
      await checkProperty(
        fc.property(
          reply,
          fc.constantFrom('type', 'kind', 'version', 'error'),
          anything,
          (message, field, value) => {
            assert.deepEqual(parseReply(message), message);
            assert.equal(helloError(helloMessage()), null);
            const broken = { ...message, [field]: value };
            const ok =
              field === 'type'
                ? value === CONTROL_MESSAGE
                : field === 'kind'
                  ? value === message.kind ||
                    (value === 'ready'
                      ? typeof (broken as { version?: unknown }).version === 'number'
                      : value === 'refused' &&
                        typeof (broken as { error?: unknown }).error === 'string')
                  : message.kind === 'ready'
                    ? field !== 'version' || typeof value === 'number'
                    : field !== 'error' || typeof value === 'string';
            assert.equal(parseReply(broken) !== null, ok, `${field}=${fc.stringify(value)}`);
            const hello = { ...helloMessage(), [field === 'error' ? 'version' : field]: value };
            const helloOk =
              hello.type === CONTROL_MESSAGE &&
              hello.kind === 'hello' &&
              hello.version === CONTROL_PROTOCOL_VERSION;
            assert.equal(helloError(hello) === null, helloOk);
          },
        ),
        3_000,
      );
    },
    PROPERTY_TIMEOUT_MS,
  );

  it(
    'resolvePurgeTarget gives absolute URLs without fragment, and refuses extra fields',
    async () => {
      await checkProperty(
        fc.property(
          fc.oneof(urlText, fc.constantFrom('/a', 'b?c#d', '')),
          fc.constantFrom('url', 'prefix'),
          (url, field) => {
            for (const target of [{ [field]: url }, ...(field === 'url' ? [url] : [])]) {
              let resolved;
              try {
                resolved = resolvePurgeTarget(target, BASE);
              } catch (error) {
                assert.ok(error instanceof TypeError);
                continue;
              }
              const href =
                'url' in resolved ? resolved.url : 'prefix' in resolved ? resolved.prefix : '';
              assert.equal(new URL(href).href, href);
              assert.equal(new URL(href).hash, '');
            }
            assert.throws(() => resolvePurgeTarget({ [field]: url, extra: 1 }, BASE), TypeError);
          },
        ),
        2_000,
      );
    },
    PROPERTY_TIMEOUT_MS,
  );
});
