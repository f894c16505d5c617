/**
 * `<http-cache-inspector>`: what the cache holds and does, for any app during development. It
 * reads everything through the page API (an `HttpCacheClient`), polls `stats()` and `entries()`
 * (control messages, which are not fetches and never count as answers) and follows the cache
 * events of every context.
 *
 * ```ts
 * import { defineHttpCacheInspector } from 'sw-http-cache/inspector';
 * defineHttpCacheInspector();
 * const inspector = document.createElement('http-cache-inspector');
 * inspector.client = await registerHttpCache();
 * document.body.append(inspector);
 * ```
 *
 * This file is the element's life: the client, the polling and the subscriptions. What it shows
 * is drawn by the views of template.ts's parts.
 */
import type { CacheEntryInfo, CacheStats, PurgeTarget } from '../protocol/control-protocol.ts';
import type { CacheEvent } from '../protocol/events.ts';
import type { OutcomeEvent } from '../protocol/outcome-events.ts';
import { EntryTable } from './entry-table.ts';
import { eventLine, outcomeLine } from './log-lines.ts';
import { LogView } from './log-view.ts';
import { PurgeControls } from './purge-controls.ts';
import { StatsView } from './stats-view.ts';
import { INSPECTOR_CSS } from './styles.ts';
import { partFinder, TEMPLATE, type FindPart } from './template.ts';
import { renderWrites } from './writes-view.ts';

/** What the inspector needs of the page API; an `HttpCacheClient` is one. */
export interface InspectorClient {
  stats(): Promise<CacheStats>;
  entries(): Promise<CacheEntryInfo[]>;
  purge(target: PurgeTarget): Promise<number>;
  clear(): Promise<void>;
  subscribe(listener: (event: CacheEvent) => void): () => void;
  /** Optional: each answer of the worker (an `HttpCacheClient` has it). */
  subscribeOutcomes?(listener: (outcome: OutcomeEvent) => void): () => void;
}

const DEFAULT_INTERVAL_MS = 2_000;

export class HttpCacheInspector extends HTMLElement {
  static get observedAttributes(): string[] {
    return ['interval'];
  }

  #client: InspectorClient | undefined;
  #unsubscribe: (() => void) | undefined;
  #unsubscribeOutcomes: (() => void) | undefined;
  #poll: ReturnType<typeof setInterval> | undefined;
  #tick: ReturnType<typeof setInterval> | undefined;
  #refreshing: Promise<void> | undefined;
  #again = false;
  readonly #find: FindPart;
  readonly #stats: StatsView;
  readonly #table: EntryTable;
  readonly #controls: PurgeControls;
  readonly #log: LogView;

  constructor() {
    super();
    const root = this.attachShadow({ mode: 'open' });
    const style = document.createElement('style');
    style.textContent = INSPECTOR_CSS;
    const template = document.createElement('template');
    template.innerHTML = TEMPLATE;
    root.append(style, template.content);
    const find = partFinder(root);
    this.#find = find;
    const purge = (target: PurgeTarget, described: string): void => this.#purge(target, described);
    this.#stats = new StatsView(find);
    this.#table = new EntryTable(find, purge);
    this.#controls = new PurgeControls(find, { purge, clear: () => this.#clear() }, () =>
      this.#table.entries(),
    );
    this.#log = new LogView(find, () => this.getAttribute('log-key'));
  }

  /** The page API to inspect. Setting it (again) restarts the inspector on that client. */
  get client(): InspectorClient | undefined {
    return this.#client;
  }

  set client(client: InspectorClient | undefined) {
    this.#stop();
    this.#client = client;
    if (this.isConnected) this.#start();
  }

  connectedCallback(): void {
    this.#start();
  }

  disconnectedCallback(): void {
    this.#stop();
  }

  attributeChangedCallback(): void {
    if (this.#poll !== undefined) {
      this.#stop();
      this.#start();
    }
  }

  /** Adds a line to the log, e.g. the app's own requests (`kind` is what the filters select on). */
  log(kind: string, text: string, source = 'this tab'): void {
    this.#log.add({ time: Date.now(), kind, text, source });
  }

  /** Re-reads stats and entries now; calls made while one runs collapse into one more. */
  refresh(): Promise<void> {
    if (this.#refreshing) {
      this.#again = true;
      return this.#refreshing;
    }
    this.#refreshing = (async () => {
      try {
        do {
          this.#again = false;
          const client = this.#client;
          if (!client) return;
          const [stats, entries] = await Promise.all([client.stats(), client.entries()]);
          if (client !== this.#client) return;
          this.#stats.render(stats);
          this.#renderEntries(entries);
        } while (this.#again);
      } catch (error) {
        this.log('error', `inspector: ${String(error)}`);
      } finally {
        this.#refreshing = undefined;
      }
    })();
    return this.#refreshing;
  }

  #start(): void {
    const client = this.#client;
    if (!client || this.#poll !== undefined) return;
    this.#log.open();
    this.#unsubscribe = client.subscribe((event) => {
      this.#log.add(eventLine(event, location.href));
      void this.refresh();
    });
    this.#unsubscribeOutcomes = client.subscribeOutcomes?.((outcome) =>
      this.#log.add(outcomeLine(outcome, location.href)),
    );
    const interval = Number(this.getAttribute('interval'));
    const ms = Number.isFinite(interval) && interval >= 250 ? interval : DEFAULT_INTERVAL_MS;
    this.#poll = setInterval(() => {
      if (!document.hidden) void this.refresh();
    }, ms);
    // Countdowns move every second without asking the worker.
    this.#tick = setInterval(() => this.#table.renderFreshness(Date.now()), 1_000);
    void this.refresh();
  }

  #stop(): void {
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
    this.#unsubscribeOutcomes?.();
    this.#unsubscribeOutcomes = undefined;
    clearInterval(this.#poll);
    clearInterval(this.#tick);
    this.#poll = undefined;
    this.#tick = undefined;
  }

  #renderEntries(entries: readonly CacheEntryInfo[]): void {
    const sorted = [...entries].sort((a, b) => a.url.localeCompare(b.url));
    this.#table.render(sorted, Date.now());
    renderWrites(this.#find, sorted);
    this.#controls.suggest();
  }

  #purge(target: PurgeTarget, described: string): void {
    const client = this.#client;
    if (!client) return;
    client.purge(target).then(
      (removed) => {
        this.log('action', `purged ${described} (${removed} removed)`);
        return this.refresh();
      },
      (error: unknown) => this.log('error', String(error)),
    );
  }

  #clear(): void {
    const client = this.#client;
    if (!client) return;
    client.clear().then(
      () => {
        this.log('action', 'cleared the cache');
        return this.refresh();
      },
      (error: unknown) => this.log('error', String(error)),
    );
  }
}
