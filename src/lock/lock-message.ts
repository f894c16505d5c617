/**
 * The one message of the cross-context lock channel: a writer released a key. Anything can
 * post on a BroadcastChannel of the origin, so every message is checked before it is believed.
 */
import type { ReleaseStatus } from './release-status.ts';
import { isReleaseStatus } from './release-status.ts';

export interface LockReleasedMessage {
  readonly type: 'lock-released';
  /** `variantHash` of the released key. */
  readonly key: string;
  readonly status: ReleaseStatus;
}

/** Longest key accepted; a variant hash is 32 hex characters. */
const MAX_KEY_LENGTH = 128;

export function lockReleasedMessage(key: string, status: ReleaseStatus): LockReleasedMessage {
  return { type: 'lock-released', key, status };
}

/** The message in `data`, or `undefined` when it is not a well-formed lock-released message. */
export function parseLockMessage(data: unknown): LockReleasedMessage | undefined {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return undefined;
  const { type, key, status } = data as Record<string, unknown>;
  if (type !== 'lock-released') return undefined;
  if (typeof key !== 'string' || key.length === 0 || key.length > MAX_KEY_LENGTH) return undefined;
  if (!isReleaseStatus(status)) return undefined;
  return { type, key, status };
}
