/**
 * One control connection: a `MessageChannel` whose second port goes to the worker with a
 * versioned hello; the worker answers `ready` (then serves the API on the port with comlink) or
 * `refused`.
 */
import { wrap, type Remote } from 'comlink';
import {
  helloMessage,
  parseReply,
  type ControlApi,
  type ControlReply,
} from '../protocol/control-protocol.ts';

export interface Connection {
  readonly api: Remote<ControlApi>;
  readonly port: MessagePort;
}

/** Thrown when the worker does not answer: it was stopped, replaced or never got the message. */
export class WorkerUnavailableError extends Error {
  override readonly name = 'WorkerUnavailableError';
}

/** Opens a connection to `worker`; rejects if it refuses or does not answer within `timeoutMs`. */
export async function connect(worker: ServiceWorker, timeoutMs: number): Promise<Connection> {
  const { port1, port2 } = new MessageChannel();
  const replied = firstReply(port1, timeoutMs);
  worker.postMessage(helloMessage(), [port2]);
  const reply = await replied;
  if (reply.kind === 'refused') {
    port1.close();
    throw new Error(reply.error);
  }
  return { api: wrap<ControlApi>(port1), port: port1 };
}

function firstReply(port: MessagePort, timeoutMs: number): Promise<ControlReply> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      port.removeEventListener('message', onMessage);
      port.close();
      reject(
        new WorkerUnavailableError(
          `sw-http-cache: the service worker did not answer the control hello within ${timeoutMs} ms (is it a sw-http-cache worker installed with features: [controlEndpoint()]?)`,
        ),
      );
    }, timeoutMs);
    function onMessage(event: MessageEvent): void {
      const reply = parseReply(event.data);
      if (reply === null) return;
      clearTimeout(timer);
      port.removeEventListener('message', onMessage);
      resolve(reply);
    }
    port.addEventListener('message', onMessage);
    port.start();
  });
}
