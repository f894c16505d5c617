import { describe, expect, it } from 'vitest';
import {
  CONTROL_MESSAGE,
  CONTROL_PROTOCOL_VERSION,
  checkBoolean,
  helloError,
  helloMessage,
  isControlMessage,
  parseReply,
  resolvePurgeTarget,
} from './control-protocol.ts';

const BASE = 'https://app.example/page/index.html';

describe('resolvePurgeTarget', () => {
  it.each([
    ['/api/a?x=1', { url: 'https://app.example/api/a?x=1' }],
    ['b#frag', { url: 'https://app.example/page/b' }],
    [new URL('https://cdn.example/x'), { url: 'https://cdn.example/x' }],
    [{ prefix: '/api/' }, { prefix: 'https://app.example/api/' }],
    [{ tag: ' products ' }, { tag: 'products' }],
    [{ url: '/x' }, { url: 'https://app.example/x' }],
  ])('accepts %o', (target, expected) => {
    expect(resolvePurgeTarget(target, BASE)).toEqual(expected);
  });

  it.each([
    [42, 'number 42'],
    [null, 'null'],
    [undefined, 'undefined'],
    [['/a'], 'an array'],
    [{}, 'keys []'],
    [{ prefix: '' }, 'keys [prefix]'],
    [{ tag: '  ' }, 'keys [tag]'],
    [{ tag: 1 }, 'keys [tag]'],
    [{ prefix: '/a', tag: 'b' }, 'keys [prefix, tag]'],
    [{ url: 5 }, 'keys [url]'],
  ])('refuses %o with a message that names it', (target, described) => {
    expect(() => resolvePurgeTarget(target, BASE)).toThrow(TypeError);
    expect(() => resolvePurgeTarget(target, BASE)).toThrow(described);
    expect(() => resolvePurgeTarget(target, BASE)).toThrow(/expects a URL string/);
  });

  it('refuses a URL that does not parse', () => {
    expect(() => resolvePurgeTarget('http://[::1', BASE)).toThrow(/invalid URL/);
  });

  it('survives hostile objects', () => {
    const hostile = new Proxy(
      {},
      {
        ownKeys() {
          throw new Error('boom');
        },
        get() {
          throw new Error('boom');
        },
      },
    );
    expect(() => resolvePurgeTarget(hostile, BASE)).toThrow(/expects a URL string/);
  });
});

describe('checkBoolean', () => {
  it('passes booleans and refuses anything else', () => {
    expect(checkBoolean(true, 'setDebug()')).toBe(true);
    expect(checkBoolean(false, 'setDebug()')).toBe(false);
    expect(() => checkBoolean('yes', 'setDebug()')).toThrow(
      'sw-http-cache: setDebug() expects true or false, got "yes"',
    );
    expect(() => checkBoolean(1, 'setDebug()')).toThrow(TypeError);
  });
});

describe('hello', () => {
  it('accepts the current hello', () => {
    expect(isControlMessage(helloMessage())).toBe(true);
    expect(helloError(helloMessage())).toBeNull();
  });

  it('refuses other versions with advice', () => {
    const error = helloError({ type: CONTROL_MESSAGE, kind: 'hello', version: 99 });
    expect(error).toContain('unsupported control protocol version 99');
    expect(error).toContain(`speaks ${CONTROL_PROTOCOL_VERSION}`);
  });

  it.each([null, 'hello', 42, [], { type: 'other' }, { type: CONTROL_MESSAGE, kind: 'ready' }])(
    'refuses %o',
    (data) => {
      expect(helloError(data)).not.toBeNull();
    },
  );

  it('leaves messages of other protocols alone', () => {
    expect(isControlMessage({ type: 'workbox' })).toBe(false);
    expect(isControlMessage(null)).toBe(false);
  });
});

describe('parseReply', () => {
  it('reads ready and refused', () => {
    expect(parseReply({ type: CONTROL_MESSAGE, kind: 'ready', version: 1 })).toEqual({
      type: CONTROL_MESSAGE,
      kind: 'ready',
      version: 1,
    });
    expect(parseReply({ type: CONTROL_MESSAGE, kind: 'refused', error: 'no' })).toMatchObject({
      kind: 'refused',
      error: 'no',
    });
  });

  it.each([
    null,
    { type: CONTROL_MESSAGE, kind: 'ready' },
    { type: CONTROL_MESSAGE, kind: 'refused', error: 1 },
    { type: CONTROL_MESSAGE, kind: 'hello', version: 1 },
    { id: 'x', type: 'RAW', value: 1 },
  ])('ignores %o', (data) => {
    expect(parseReply(data)).toBeNull();
  });
});

describe('helloError: hostile versions (found by control-protocol.property.test.ts)', () => {
  it.each([Object.create(null) as object, { toString: {} }, Symbol('v')])(
    'answers with a message for version %#, without throwing',
    (version) => {
      const error = helloError({ type: CONTROL_MESSAGE, kind: 'hello', version });
      expect(error).toContain('unsupported control protocol version');
    },
  );
});
