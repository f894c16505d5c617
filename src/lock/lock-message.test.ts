import { describe, expect, it } from 'vitest';
import { LockStatus } from '../core/lock.ts';
import { lockReleasedMessage, parseLockMessage } from './lock-message.ts';

const key = '0123456789abcdef0123456789abcdef';

describe('lock channel messages', () => {
  it.each([LockStatus.Done, LockStatus.TransientError, LockStatus.GiveUp, LockStatus.Dangling])(
    'round-trips %s through a structured clone',
    (status) => {
      const message = structuredClone(lockReleasedMessage(key, status));
      expect(parseLockMessage(message)).toEqual({ type: 'lock-released', key, status });
    },
  );

  it('keeps only the known fields', () => {
    const parsed = parseLockMessage({ type: 'lock-released', key, status: 'Done', extra: 1 });
    expect(parsed).toEqual({ type: 'lock-released', key, status: 'Done' });
  });

  it.each([
    ['undefined', undefined],
    ['null', null],
    ['a string', 'lock-released'],
    ['an array', ['lock-released', key, 'Done']],
    ['another type', { type: 'evicted', key, status: 'Done' }],
    ['no key', { type: 'lock-released', status: 'Done' }],
    ['a number key', { type: 'lock-released', key: 1, status: 'Done' }],
    ['an empty key', { type: 'lock-released', key: '', status: 'Done' }],
    ['a huge key', { type: 'lock-released', key: 'a'.repeat(129), status: 'Done' }],
    ['no status', { type: 'lock-released', key }],
    ['Waiting', { type: 'lock-released', key, status: 'Waiting' }],
    ['an unknown status', { type: 'lock-released', key, status: 'done' }],
    ['a status object', { type: 'lock-released', key, status: { toString: (): string => 'Done' } }],
  ])('rejects %s', (_label, data) => {
    expect(parseLockMessage(data)).toBeUndefined();
  });
});
