/**
 * Partial content as a feature (`features: [partialContent()]`, `docs/partial-content.md`): a
 * 206 from the origin is stored as pieces of a sparse entry, and range requests are answered
 * from the pieces, fetching only the bytes not held. Without it, a 206 is passed through and
 * never stored (RFC 9111 §3.3 lets a cache do either), and range requests on complete entries
 * work as always. The IndexedDB code that reads and writes pieces comes with it
 * (`sparseEntries`, handed to `IdbStorage`).
 */
import type { SparseEntriesFactory } from '../storage/idb/idb-sparse.ts';
import { sparseEntries } from '../storage/index.ts';
import type { ForwardReason } from './cache-status-format.ts';
import { defineFeature, type HttpCacheFeature } from './features.ts';
import type { RequestContext } from './flow-deps.ts';
import { answerFromPieces, answerHeldPieces, lookUpPieces } from './partial-flow.ts';
import { admitPiece } from './piece-admission.ts';
import { piecesInFlight } from './pieces-in-flight.ts';
import { SparseLookAhead } from './sparse-look-ahead.ts';
import type { Upstream } from './upstream.ts';

export interface PartialContent {
  /** The `partialContent` option of `IdbStorage`. */
  readonly idb: SparseEntriesFactory;
  /**
   * The request's sparse entry, looked up now, beside its complete entry (`sparse-look-ahead.ts`):
   * `answer` takes it on the request's first pass.
   */
  lookAhead(ctx: RequestContext): SparseLookAhead;
  /**
   * A miss answered from a sparse entry's pieces (the one `early` looked up, when given), or
   * `null` to fetch it as usual.
   */
  answer(ctx: RequestContext, early?: SparseLookAhead): Promise<Response | null>;
  /**
   * Before the lock is taken: the answer when `early`'s entry is fresh and holds every byte
   * asked, or `null` (the entry left to `answer`).
   */
  answerHeld(ctx: RequestContext, early: SparseLookAhead): Promise<Response | null>;
  /** The origin's 206 to a `Range` GET: answered, and stored as a piece when it may be. */
  admit(ctx: RequestContext, upstream: Upstream, fwd: ForwardReason): Promise<Response>;
}

const partial: PartialContent = {
  idb: sparseEntries,
  lookAhead: (ctx) => new SparseLookAhead(lookUpPieces(ctx)),
  answer: (ctx, early) => answerFromPieces(ctx, piecesInFlight(ctx.deps.storage), early),
  answerHeld: answerHeldPieces,
  admit: (ctx, upstream, fwd) => admitPiece(ctx, upstream, fwd, piecesInFlight(ctx.deps.storage)),
};

/** 206 responses stored as sparse entries, and ranges served from their pieces. */
export function partialContent(): HttpCacheFeature {
  return defineFeature('partial-content', { partialContent: partial });
}
