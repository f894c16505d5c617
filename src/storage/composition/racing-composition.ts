/**
 * A `CompositionStorage` whose lookups ask both layers at once: the first hit wins and the other
 * hit is released. The worker reads memory first (`CompositionStorage`); this read policy is a
 * class of its own so that no worker ships it (issue 15).
 */
import type { CacheKey } from '../../core/key.ts';
import type { LookupResult } from '../../core/storage.ts';
import { toStorageError } from '../errors.ts';
import { CompositionStorage } from './composition.ts';

export class RacingCompositionStorage extends CompositionStorage {
  override async lookup(key: CacheKey): Promise<LookupResult | null> {
    let l1Missed = false;
    const l1 = this.l1Lookup(() => this.l1.lookup(key)).then((result) => {
      l1Missed = result === null;
      return { layer: 'l1' as const, result, error: undefined };
    });
    const l2 = this.l2.lookup(key).then(
      (result) => ({ layer: 'l2' as const, result, error: undefined }),
      (error: unknown) => ({ layer: 'l2' as const, result: null, error }),
    );
    const first = await Promise.race([l1, l2]);
    const other = first.layer === 'l1' ? l2 : l1;
    let winner = first;
    if (first.result === null) {
      winner = await other;
    } else {
      // The slower layer's hit, if any, is not needed.
      other.then((o) => o.result?.hit.finish()).catch(() => undefined);
    }
    if (winner.result === null) {
      const l2Error = first.error ?? winner.error;
      if (l2Error !== undefined) throw toStorageError(l2Error, 'looking up');
      return this.lookL1Again(key);
    }
    // Memory is refilled only when it is known to have missed.
    return winner.layer === 'l1'
      ? this.fromL1(key, winner.result)
      : this.fromL2(key, winner.result, l1Missed);
  }
}
