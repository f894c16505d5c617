/// <reference lib="webworker" />
declare const self: ServiceWorkerGlobalScope;

/** Whether a message to the worker was posted by a window of the worker's own origin. */
export function isFromSameOriginWindow(event: ExtendableMessageEvent): boolean {
  return (
    typeof WindowClient !== 'undefined' &&
    event.source instanceof WindowClient &&
    event.origin === self.location.origin
  );
}
