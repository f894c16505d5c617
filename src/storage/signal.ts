/**
 * A promise and its `resolve`: readers of a body being written wait on it for the next change,
 * and the writer resolves it and makes a new one (`ChunkedBody`, `WriteProgress`).
 */
export interface Signal {
  readonly promise: Promise<void>;
  readonly resolve: () => void;
}

export function signal(): Signal {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}
