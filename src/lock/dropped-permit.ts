/**
 * The last-resort safety net for a write permit nobody released (pingora's `WritePermit` drop):
 * when the permit object is garbage-collected while still held, its readers are woken with
 * `Dangling` instead of waiting for their timeout. Garbage collection is not prompt, so this
 * only shortens the worst case; `dispose()` on the permit is the deterministic way.
 */

type OnDrop = () => void;

const registry =
  typeof FinalizationRegistry === 'function'
    ? new FinalizationRegistry<OnDrop>((onDrop) => onDrop())
    : undefined;

/**
 * Runs `onDrop` if `permit` is collected before the returned function is called. `onDrop` must
 * not reference `permit`, or the permit can never be collected.
 */
export function onPermitDropped(permit: object, onDrop: OnDrop): () => void {
  if (registry === undefined) return () => undefined;
  const token = {};
  registry.register(permit, onDrop, token);
  return () => registry.unregister(token);
}
