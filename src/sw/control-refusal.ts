/// <reference lib="webworker" />
/**
 * A worker whose handlers lack the control endpoint answers the page's control hello at once
 * with a refusal that says what to add, so `registerHttpCache()` and `connectHttpCache()` fail
 * with that message instead of waiting for their timeout. Each `HttpCacheHandler` reports here
 * when its features are resolved, whether `installHttpCache` made it or a Workbox app did.
 */
import {
  CONTROL_MESSAGE,
  isControlMessage,
  type ControlReply,
} from '../protocol/control-protocol.ts';

declare const self: ServiceWorkerGlobalScope;

export const NO_CONTROL_ENDPOINT =
  "sw-http-cache: this service worker has no control endpoint: install it with features: [controlEndpoint()] (import { controlEndpoint } from 'sw-http-cache/sw')";

/** Worker globals where a handler has the endpoint: it answers the page, the refusal must not. */
const withEndpoint = new WeakSet<object>();
/** Worker globals where the refusal listens already (one reply per hello, however many handlers). */
const refusing = new WeakSet<object>();

/**
 * Called by each handler with whether it has the control endpoint. Without one, the worker
 * refuses control hellos, unless another handler of the same worker (made before or after) has
 * the endpoint.
 */
export function refuseControlUnlessEndpoint(hasEndpoint: boolean): void {
  const scope = self;
  if (hasEndpoint) {
    withEndpoint.add(scope);
    return;
  }
  if (refusing.has(scope)) return;
  refusing.add(scope);
  scope.addEventListener('message', (event: ExtendableMessageEvent) => {
    if (!isControlMessage(event.data)) return; // someone else's message
    if (withEndpoint.has(scope)) return;
    const port = event.ports[0];
    const reply: ControlReply = {
      type: CONTROL_MESSAGE,
      kind: 'refused',
      error: NO_CONTROL_ENDPOINT,
    };
    port?.postMessage(reply);
    port?.close();
  });
}
