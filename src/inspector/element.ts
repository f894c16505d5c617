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
 */
import type { CacheEntryInfo, CacheStats, PurgeTarget } from '../protocol/control-protocol.ts';
import type { CacheEvent } from '../protocol/events.ts';
import type { OutcomeEvent } from '../protocol/outcome-events.ts';
import { EventLog, shown, type LogLine } from './event-log.ts';
import { clock, displayUrl, formatBytes, formatFreshness, isFreshAt } from './format.ts';
import { chartPaths, StatsHistory } from './history.ts';
import { INSPECTOR_CSS } from './styles.ts';

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

/** Kinds the log filter always offers; others get a checkbox when first logged. */
const KNOWN_KINDS = ['stored', 'updated', 'evicted', 'purged', 'cleared', 'action', 'error'];

const DEFAULT_INTERVAL_MS = 2_000;
const DEFAULT_LOG_KEY = 'sw-http-cache-inspector:log';
const CHART = { width: 300, height: 80 };

/** Stable ids inside the shadow root (each inspector has its own root, so no clashes). */
const TEMPLATE = `
<h2 id="title">HTTP cache</h2>
<div class="summary">
  <p id="hit-ratio">Hit ratio —</p>
  <p id="counts" class="muted"></p>
</div>
<p id="usage"></p>
<p id="saved" hidden></p>
<figure>
  <svg id="chart" viewBox="0 0 ${CHART.width} ${CHART.height}" preserveAspectRatio="none" role="img" aria-labelledby="chart-caption chart-summary" focusable="false">
    <path id="chart-grid" d="M0 ${CHART.height / 2}H${CHART.width}" />
    <path id="chart-bars" d="" />
    <path id="chart-ratio" d="" />
  </svg>
  <figcaption><span id="chart-caption">Hit ratio per poll (line, 0–100 %).</span> <span id="chart-summary"></span></figcaption>
</figure>
<section aria-labelledby="writes-title">
  <h3 id="writes-title">Writes in progress</h3>
  <ul id="writes"></ul>
  <p id="writes-empty" class="muted">None.</p>
</section>
<section aria-labelledby="entries-title">
  <h3 id="entries-title">Stored entries</h3>
  <form id="purge-form">
    <label for="purge-kind">Purge by</label>
    <select id="purge-kind">
      <option value="url">URL</option>
      <option value="prefix">prefix</option>
      <option value="tag">tag</option>
    </select>
    <label for="purge-value" class="vh">URL, prefix or tag to purge</label>
    <input id="purge-value" list="purge-suggestions" required autocomplete="off" spellcheck="false" />
    <datalist id="purge-suggestions"></datalist>
    <button type="submit" id="purge">Purge</button>
    <button type="button" id="clear">Clear all</button>
  </form>
  <table id="entries" role="table" aria-labelledby="entries-title">
    <thead role="rowgroup">
      <tr role="row">
        <th role="columnheader" scope="col" class="col-url">URL</th>
        <th role="columnheader" scope="col" class="col-status">Status</th>
        <th role="columnheader" scope="col" class="col-size">Size</th>
        <th role="columnheader" scope="col" class="col-fresh">Freshness</th>
        <th role="columnheader" scope="col" class="col-phase">Last phase</th>
        <th role="columnheader" scope="col" class="col-variants">Variants</th>
        <th role="columnheader" scope="col" class="col-tags">Tags</th>
        <th role="columnheader" scope="col" class="col-action"><span class="vh">Actions</span></th>
      </tr>
    </thead>
    <tbody role="rowgroup"></tbody>
  </table>
  <p id="entries-empty" class="muted">Nothing stored yet.</p>
</section>
<section aria-labelledby="log-title">
  <h3 id="log-title">Events</h3>
  <fieldset id="filters"><legend>Show</legend></fieldset>
  <div class="log-tools">
    <label for="log-search">Filter</label>
    <input id="log-search" type="search" autocomplete="off" spellcheck="false" />
    <button type="button" id="log-clear">Clear log</button>
  </div>
  <div id="log-box" role="log" aria-labelledby="log-title" tabindex="0">
    <ol id="log"></ol>
  </div>
</section>
`;

interface Row {
  readonly tr: HTMLTableRowElement;
  readonly cells: Record<
    'url' | 'status' | 'size' | 'fresh' | 'phase' | 'variants' | 'tags',
    HTMLTableCellElement
  >;
  entry: CacheEntryInfo;
}

export class HttpCacheInspector extends HTMLElement {
  static get observedAttributes(): string[] {
    return ['interval'];
  }

  readonly #root: ShadowRoot;
  #client: InspectorClient | undefined;
  #unsubscribe: (() => void) | undefined;
  #unsubscribeOutcomes: (() => void) | undefined;
  #poll: ReturnType<typeof setInterval> | undefined;
  #tick: ReturnType<typeof setInterval> | undefined;
  #log: EventLog | undefined;
  readonly #rows = new Map<string, Row>();
  readonly #history = new StatsHistory();
  readonly #hidden = new Set<string>();
  readonly #kinds = new Set<string>();
  #refreshing: Promise<void> | undefined;
  #again = false;

  constructor() {
    super();
    this.#root = this.attachShadow({ mode: 'open' });
    const style = document.createElement('style');
    style.textContent = INSPECTOR_CSS;
    const template = document.createElement('template');
    template.innerHTML = TEMPLATE;
    this.#root.append(style, template.content);
    this.#wireControls();
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
    this.#addLine({ time: Date.now(), kind, text, source });
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
          this.#renderStats(stats);
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
    this.#log ??= new EventLog(
      sessionStorageOrNothing(),
      this.getAttribute('log-key') ?? DEFAULT_LOG_KEY,
    );
    this.#renderLog();
    this.#unsubscribe = client.subscribe((event) => {
      this.#logEvent(event);
      void this.refresh();
    });
    this.#unsubscribeOutcomes = client.subscribeOutcomes?.((outcome) => this.#logOutcome(outcome));
    const interval = Number(this.getAttribute('interval'));
    const ms = Number.isFinite(interval) && interval >= 250 ? interval : DEFAULT_INTERVAL_MS;
    this.#poll = setInterval(() => {
      if (!document.hidden) void this.refresh();
    }, ms);
    // Countdowns move every second without asking the worker.
    this.#tick = setInterval(() => this.#renderFreshness(Date.now()), 1_000);
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

  #find<T extends Element = HTMLElement>(id: string): T {
    const found = this.#root.getElementById(id);
    if (!found) throw new Error(`http-cache-inspector: #${id} is missing`);
    return found as unknown as T;
  }

  #wireControls(): void {
    const form = this.#find<HTMLFormElement>('purge-form');
    const kind = this.#find<HTMLSelectElement>('purge-kind');
    const value = this.#find<HTMLInputElement>('purge-value');
    kind.addEventListener('change', () => this.#suggest());
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const text = value.value.trim();
      if (text === '') return;
      const what = kind.value as 'url' | 'prefix' | 'tag';
      const target: PurgeTarget =
        what === 'url' ? { url: text } : what === 'prefix' ? { prefix: text } : { tag: text };
      this.#purge(target, `${what === 'url' ? 'URL' : what} ${text}`);
    });
    this.#find('clear').addEventListener('click', () => {
      const client = this.#client;
      if (!client) return;
      client.clear().then(
        () => {
          this.log('action', 'cleared the cache');
          return this.refresh();
        },
        (error: unknown) => this.log('error', String(error)),
      );
    });
    this.#find('log-search').addEventListener('input', () => this.#renderLog());
    this.#find('log-clear').addEventListener('click', () => {
      this.#log?.clear();
      this.#renderLog();
    });
    for (const name of KNOWN_KINDS) this.#addFilter(name);
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

  #addFilter(name: string): void {
    if (this.#kinds.has(name)) return;
    this.#kinds.add(name);
    const label = document.createElement('label');
    const box = document.createElement('input');
    box.type = 'checkbox';
    box.checked = !this.#hidden.has(name);
    box.value = name;
    box.addEventListener('change', () => {
      if (box.checked) this.#hidden.delete(name);
      else this.#hidden.add(name);
      this.#renderLog();
    });
    label.append(box, ` ${name}`);
    this.#find('filters').append(label);
  }

  #logEvent(event: CacheEvent): void {
    const urls = event.keys.map((key) => displayUrl(key.primary, location.href)).join(', ');
    this.#addLine({
      time: event.time,
      kind: event.type,
      text: urls === '' ? '(everything)' : urls,
      source: `worker ${event.source.slice(0, 8)}`,
    });
  }

  #logOutcome(outcome: OutcomeEvent): void {
    const answer = outcome.status === 0 ? 'network error' : String(outcome.status);
    this.#addLine({
      time: outcome.time,
      kind: outcome.kind,
      text: `${outcome.method} ${displayUrl(outcome.url, location.href)} → ${answer}; ${outcome.cacheStatus ?? 'no Cache-Status'}`,
      source: outcome.clientId === '' ? 'no tab' : `tab ${outcome.clientId.slice(0, 8)}`,
    });
  }

  #addLine(line: Omit<LogLine, 'n'>): void {
    this.#log ??= new EventLog(
      sessionStorageOrNothing(),
      this.getAttribute('log-key') ?? DEFAULT_LOG_KEY,
    );
    const added = this.#log.add(line);
    this.#addFilter(added.kind);
    if (!shown(added, this.#filter())) return;
    const list = this.#find('log');
    list.prepend(logItem(added));
    while (list.children.length > this.#log.lines.length) list.lastElementChild?.remove();
  }

  #filter(): { hidden: ReadonlySet<string>; text: string } {
    return { hidden: this.#hidden, text: this.#find<HTMLInputElement>('log-search').value };
  }

  #renderLog(): void {
    const filter = this.#filter();
    for (const line of this.#log?.lines ?? []) this.#addFilter(line.kind);
    const items = (this.#log?.lines ?? []).filter((line) => shown(line, filter)).map(logItem);
    this.#find('log').replaceChildren(...items.reverse());
  }

  #renderStats(stats: CacheStats): void {
    const answers = stats.hits + stats.misses + stats.stale + stats.uncached;
    this.#find('hit-ratio').textContent =
      answers === 0
        ? 'Hit ratio — (no answers yet)'
        : `Hit ratio ${Math.round(stats.hitRatio * 100)}% (${stats.hits} of ${answers} answers)`;
    this.#find('counts').textContent =
      `${stats.hits} hits · ${stats.misses} misses · ${stats.stale} stale/revalidated · ${stats.uncached} uncached`;
    this.#find('usage').textContent =
      `${stats.entries} ${stats.entries === 1 ? 'entry' : 'entries'}, ${formatBytes(stats.bytes)} of ${formatBytes(stats.budget.maxBytes)} (at most ${stats.budget.maxEntries.toLocaleString('en')} entries)`;
    const saved = this.#find('saved');
    saved.hidden = false;
    const failures =
      stats.upstreamFailures + stats.storageFailures === 0
        ? ''
        : ` · not stored: ${stats.upstreamFailures} cut by the origin, ${stats.storageFailures} storage failures`;
    saved.textContent = `${formatBytes(stats.savedBytes)} served from the cache instead of the origin${failures}`;
    this.#history.add({
      time: Date.now(),
      answers,
      hits: stats.hits,
      savedBytes: stats.savedBytes,
    });
    this.#renderChart();
  }

  #renderChart(): void {
    const samples = this.#history.samples;
    const paths = chartPaths(samples, CHART);
    this.#find('chart-ratio').setAttribute('d', paths.ratio);
    this.#find('chart-bars').setAttribute('d', paths.bars);
    if (samples.at(-1)?.savedBytes !== undefined) {
      this.#find('chart-caption').textContent =
        'Hit ratio (line, 0–100 %) and bytes served from the cache (bars, up to ' +
        `${formatBytes(paths.maxBytes)}) per poll.`;
    }
    const first = samples[0];
    const last = samples.at(-1);
    if (!first || !last || samples.length < 2) {
      this.#find('chart-summary').textContent = 'Not enough samples yet.';
      return;
    }
    const answers = last.answers - first.answers;
    const hits = last.hits - first.hits;
    const seconds = Math.round((last.time - first.time) / 1000);
    const bytes =
      last.savedBytes === undefined
        ? ''
        : `, ${formatBytes(last.savedBytes - (first.savedBytes ?? 0))} from the cache`;
    this.#find('chart-summary').textContent =
      `Last ${seconds} s: ${hits} of ${answers} answers from the cache${bytes}.`;
  }

  #renderEntries(entries: readonly CacheEntryInfo[]): void {
    const body = this.#find('entries').querySelector('tbody');
    if (!body) return;
    const now = Date.now();
    const sorted = [...entries].sort((a, b) => a.url.localeCompare(b.url));
    const seen = new Set<string>();
    const ordered: HTMLTableRowElement[] = [];
    for (const entry of sorted) {
      seen.add(entry.url);
      // Rows are kept by URL and updated in place, so focus on a row's button survives a poll.
      let row = this.#rows.get(entry.url);
      if (!row) {
        row = this.#newRow(entry);
        this.#rows.set(entry.url, row);
      }
      row.entry = entry;
      this.#fillRow(row, entry, now);
      ordered.push(row.tr);
    }
    for (const [url, row] of this.#rows) {
      if (!seen.has(url)) {
        row.tr.remove();
        this.#rows.delete(url);
      }
    }
    ordered.forEach((tr, i) => {
      if (body.children[i] !== tr) body.insertBefore(tr, body.children[i] ?? null);
    });
    this.#find('entries-empty').hidden = sorted.length > 0;
    this.#renderWrites(sorted);
    this.#suggest();
  }

  #newRow(entry: CacheEntryInfo): Row {
    const tr = document.createElement('tr');
    tr.setAttribute('role', 'row');
    tr.dataset['url'] = entry.url;
    const cell = (className: string): HTMLTableCellElement => {
      const td = document.createElement('td');
      td.setAttribute('role', 'cell');
      td.className = className;
      tr.append(td);
      return td;
    };
    const cells = {
      url: cell('url-cell'),
      status: cell('status'),
      size: cell('size'),
      fresh: cell('fresh'),
      phase: cell('phase'),
      variants: cell('variants'),
      tags: cell('tags'),
    };
    const action = cell('action');
    const purge = document.createElement('button');
    purge.type = 'button';
    purge.className = 'purge';
    const label = document.createElement('span');
    label.className = 'vh';
    const shown = displayUrl(entry.url, location.href);
    label.textContent = ` ${shown}`;
    purge.append('Purge', label);
    purge.addEventListener('click', () => this.#purge({ url: entry.url }, shown));
    action.append(purge);
    return { tr, cells, entry };
  }

  #fillRow(row: Row, entry: CacheEntryInfo, now: number): void {
    const shownUrl = displayUrl(entry.url, location.href);
    let url = row.cells.url.firstElementChild as HTMLElement | null;
    if (!url) {
      url = document.createElement('span');
      url.className = 'url';
      row.cells.url.append(url);
    }
    setText(url, shownUrl);
    url.title = entry.url === shownUrl ? shownUrl : `${shownUrl}\n${entry.url}`;
    setText(row.cells.status, String(entry.status));
    setText(
      row.cells.size,
      entry.partial === undefined
        ? formatBytes(entry.size)
        : `${formatBytes(entry.size)} of ${formatBytes(entry.partial.length)} (partial)`,
    );
    setText(row.cells.phase, entry.lastPhase ?? '—');
    setText(row.cells.variants, String(entry.variants));
    row.cells.variants.toggleAttribute('data-one', entry.variants === 1);
    setText(row.cells.tags, entry.tags.join(', '));
    row.cells.tags.title = entry.tags.join(', ');
    this.#fillFreshness(row, now);
  }

  #fillFreshness(row: Row, now: number): void {
    const entry = row.entry;
    if (entry.writing) {
      row.tr.className = 'writing';
      setText(row.cells.fresh, 'being written');
      return;
    }
    const fresh = isFreshAt(entry.freshUntil, now);
    row.tr.className = fresh ? 'fresh' : 'stale';
    setText(row.cells.fresh, formatFreshness(entry.freshUntil, now));
  }

  #renderFreshness(now: number): void {
    for (const row of this.#rows.values()) this.#fillFreshness(row, now);
  }

  #renderWrites(entries: readonly CacheEntryInfo[]): void {
    const writes = entries.filter((entry) => entry.writing === true);
    const items = writes.map((entry) => {
      const item = document.createElement('li');
      item.dataset['url'] = entry.url;
      const url = document.createElement('span');
      url.className = 'url';
      url.textContent = displayUrl(entry.url, location.href);
      url.title = entry.url;
      const written = entry.bytesWritten;
      const expected = entry.expectedBytes ?? undefined; // null: no Content-Length
      const amount = document.createElement('span');
      amount.className = 'amount';
      const readers =
        entry.readers === 0
          ? ''
          : `, ${entry.readers} ${entry.readers === 1 ? 'reader' : 'readers'}`;
      amount.textContent =
        expected === undefined
          ? `${formatBytes(written)} so far${readers}`
          : `${formatBytes(written)} of ${formatBytes(expected)}${readers}`;
      const bar = document.createElement('progress');
      bar.setAttribute('aria-label', `Writing ${url.textContent}`);
      if (expected !== undefined && expected > 0) {
        bar.max = expected;
        bar.value = Math.min(written, expected);
      }
      item.append(url, amount, bar);
      return item;
    });
    this.#find('writes').replaceChildren(...items);
    this.#find('writes-empty').hidden = items.length > 0;
  }

  /** Offers the stored URLs or tags as suggestions for the purge field. */
  #suggest(): void {
    const kind = this.#find<HTMLSelectElement>('purge-kind').value;
    const values = new Set<string>();
    for (const { entry } of this.#rows.values()) {
      if (kind === 'tag') for (const tag of entry.tags) values.add(tag);
      else values.add(entry.url);
    }
    const list = this.#find('purge-suggestions');
    const options = [...values].sort().map((value) => new Option(value, value));
    list.replaceChildren(...options);
  }
}

function logItem(line: LogLine): HTMLLIElement {
  const item = document.createElement('li');
  item.dataset['kind'] = line.kind;
  item.dataset['n'] = String(line.n);
  const n = document.createElement('span');
  n.className = 'n';
  n.textContent = String(line.n);
  const body = document.createElement('span');
  body.className = 'text';
  body.title = line.source;
  const kind = document.createElement('span');
  kind.className = 'kind';
  kind.textContent = line.kind;
  const source = document.createElement('span');
  source.className = 'vh';
  source.textContent = ` (${line.source})`;
  body.append(kind, ` ${clock(line.time)} ${line.text}`, source);
  item.append(n, body);
  return item;
}

function setText(element: HTMLElement, text: string): void {
  if (element.textContent !== text) element.textContent = text;
}

function sessionStorageOrNothing(): Storage | undefined {
  try {
    return sessionStorage;
  } catch {
    return undefined; // an opaque origin or storage disabled: the log lives as long as the page
  }
}
