/**
 * The fetch flow of a worker with `partialContent()` and `multipartRanges()`, as the tests of
 * ranges build it: memory over IndexedDB (fake-indexeddb under Node) with sparse entries.
 */
import type { Storage } from '../../core/storage.ts';
import { CompositionStorage } from '../../storage/composition/composition.ts';
import type { IdbStorageOptions } from '../../storage/idb/idb.ts';
import { sparseEntries } from '../../storage/idb/idb-sparse.ts';
import { MemoryStorage } from '../../storage/memory/memory.ts';
import { newIdb } from '../../storage/testing/idb.ts';
import { featureParts } from '../features.ts';
import type { FetchFlow } from '../fetch-flow.ts';
import { multipleRanges } from '../multipart-ranges.ts';
import { partialContent } from '../partial-content.ts';
import { testFlow, type TestFlowParts } from './test-flow.ts';

export interface PartialContentFlowParts extends Omit<TestFlowParts, 'storage'> {
  /** false: the worker without `partialContent()`, its IndexedDB without sparse entries. */
  readonly partial?: boolean;
  /** More options of the IndexedDB storage (e.g. its chunk size). */
  readonly idb?: IdbStorageOptions;
  /** Wraps the composed storage (e.g. in one that announces its writes). */
  readonly wrap?: (storage: Storage) => Storage;
}

export function partialContentFlow({
  partial = true,
  idb = {},
  wrap = (storage) => storage,
  ...parts
}: PartialContentFlowParts): FetchFlow {
  const durable = newIdb(partial ? { partialContent: sparseEntries, ...idb } : idb);
  const storage = wrap(new CompositionStorage(new MemoryStorage(), durable));
  return testFlow({
    multipartRanges: multipleRanges,
    partialContent: partial ? featureParts([partialContent()]).partialContent : undefined,
    ...parts,
    // No test clears the cache: what it stored stays for the next request.
    storage: Object.assign(storage, { clear: () => Promise.resolve() }),
  });
}
