/// <reference lib="webworker" />
/**
 * A worker installed without the control endpoint answers the page's control hello at once with
 * a refusal that says what to add, so `registerHttpCache()` and `connectHttpCache()` fail with
 * that message instead of waiting for their timeout.
 */
import {
  CONTROL_MESSAGE,
  isControlMessage,
  type ControlReply,
} from '../protocol/control-protocol.ts';

declare const self: ServiceWorkerGlobalScope;

export const NO_CONTROL_ENDPOINT =
  "sw-http-cache: this service worker has no control endpoint: install it with features: [controlEndpoint()] (import { controlEndpoint } from 'sw-http-cache/sw')";

export function refuseControl(): void {
  self.addEventListener('message', (event: ExtendableMessageEvent) => {
    if (!isControlMessage(event.data)) return; // someone else's message
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
