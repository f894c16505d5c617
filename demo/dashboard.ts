/**
 * The cache dashboard: stats, the stored entries, and a live log of cache events and of the
 * demo's own requests. It reads everything through the control client; it never touches
 * IndexedDB itself.
 */
import type {
  CacheEntryInfo,
  CacheEvent,
  CacheStats,
  HttpCacheClient,
} from '../src/client/index.ts';
import { clock, formatBytes, formatFreshness, shortUrl } from './format.ts';

const MAX_LOG_LINES = 200;

export class Dashboard {
  #refreshing: Promise<void> | undefined;
  #again = false;

  constructor(
    private readonly client: HttpCacheClient,
    private readonly root: HTMLElement,
  ) {}

  /** Re-reads stats and entries; calls made while one runs collapse into one more. */
  refresh(): Promise<void> {
    if (this.#refreshing) {
      this.#again = true;
      return this.#refreshing;
    }
    this.#refreshing = (async () => {
      try {
        do {
          this.#again = false;
          const [stats, entries] = await Promise.all([this.client.stats(), this.client.entries()]);
          this.#renderStats(stats);
          this.#renderEntries(entries);
        } while (this.#again);
      } catch (error) {
        this.log('error', `dashboard: ${String(error)}`);
      } finally {
        this.#refreshing = undefined;
      }
    })();
    return this.#refreshing;
  }

  /** Logs a cache event from any context. */
  logEvent(event: CacheEvent): void {
    const urls = event.keys.map((key) => shortUrl(key.primary)).join(', ');
    this.log(event.type, urls === '' ? '(everything)' : urls);
  }

  log(kind: string, text: string): void {
    const list = this.#find('#log');
    const line = document.createElement('li');
    line.dataset['kind'] = kind;
    line.className = 'log-line';
    line.textContent = `${clock(Date.now())} ${kind} ${text}`;
    list.prepend(line);
    while (list.children.length > MAX_LOG_LINES) list.lastElementChild?.remove();
  }

  #renderStats(stats: CacheStats): void {
    const answers = stats.hits + stats.misses + stats.stale + stats.uncached;
    this.#find('#hit-ratio').textContent =
      `Hit ratio ${Math.round(stats.hitRatio * 100)}% (${stats.hits} of ${answers} answers)`;
    this.#find('#counts').textContent =
      `${stats.hits} hits · ${stats.misses} misses · ${stats.stale} stale/revalidated · ${stats.uncached} uncached`;
    this.#find('#usage').textContent =
      `${stats.entries} entries, ${formatBytes(stats.bytes)} of ${formatBytes(stats.budget.maxBytes)} (at most ${stats.budget.maxEntries} entries)`;
  }

  #renderEntries(entries: CacheEntryInfo[]): void {
    const body = this.#find('#entries tbody');
    const now = Date.now();
    const rows = [...entries]
      .sort((a, b) => a.url.localeCompare(b.url))
      .map((entry) => {
        const row = document.createElement('tr');
        row.className = entry.fresh ? 'fresh' : 'stale';
        row.dataset['url'] = entry.url;
        const cells = [
          shortUrl(entry.url),
          String(entry.status),
          formatBytes(entry.size),
          formatFreshness(entry.freshUntil, now),
          entry.lastPhase ?? '—',
          String(entry.variants),
          entry.tags.join(', '),
        ];
        for (const text of cells) {
          const cell = document.createElement('td');
          cell.textContent = text;
          row.append(cell);
        }
        const action = document.createElement('td');
        const purge = document.createElement('button');
        purge.type = 'button';
        purge.className = 'purge';
        purge.textContent = 'Purge';
        purge.addEventListener('click', () => {
          this.client.purge(entry.url).then(
            (removed) => this.log('action', `purged ${shortUrl(entry.url)} (${removed} removed)`),
            (error: unknown) => this.log('error', String(error)),
          );
        });
        action.append(purge);
        row.append(action);
        return row;
      });
    body.replaceChildren(...rows);
    this.#find('#entries-empty').hidden = rows.length > 0;
  }

  #find(selector: string): HTMLElement {
    const element = this.root.querySelector<HTMLElement>(selector);
    if (!element) throw new Error(`demo: ${selector} is missing from the page`);
    return element;
  }
}
