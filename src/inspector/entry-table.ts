/**
 * The inspector's table of stored entries: one row per URL, kept and updated in place across
 * polls (so focus on a row's Purge button survives one), with a freshness column that counts down
 * between polls.
 */
import type { CacheEntryInfo, PurgeTarget } from '../protocol/control-protocol.ts';
import { displayUrl, formatBytes, formatFreshness, isFreshAt } from './format.ts';
import type { FindPart } from './template.ts';

interface Row {
  readonly tr: HTMLTableRowElement;
  readonly cells: Record<
    'url' | 'status' | 'size' | 'fresh' | 'phase' | 'variants' | 'tags',
    HTMLTableCellElement
  >;
  entry: CacheEntryInfo;
}

export class EntryTable {
  readonly #rows = new Map<string, Row>();

  constructor(
    private readonly find: FindPart,
    /** A row's Purge button: purges its URL (`described` is the URL as the row shows it). */
    private readonly purge: (target: PurgeTarget, described: string) => void,
  ) {}

  /** The entries the table shows. */
  *entries(): Iterable<CacheEntryInfo> {
    for (const row of this.#rows.values()) yield row.entry;
  }

  /** Shows `entries`, in this order (sorted by URL), and drops the rows of the others. */
  render(entries: readonly CacheEntryInfo[], now: number): void {
    const body = this.find('entries').querySelector('tbody');
    if (!body) return;
    const seen = new Set<string>();
    const ordered: HTMLTableRowElement[] = [];
    for (const entry of entries) {
      seen.add(entry.url);
      // Rows are kept by URL and updated in place, so focus on a row's button survives a poll.
      let row = this.#rows.get(entry.url);
      if (!row) {
        row = this.#newRow(entry);
        this.#rows.set(entry.url, row);
      }
      row.entry = entry;
      fillRow(row, entry, now);
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
    this.find('entries-empty').hidden = entries.length > 0;
  }

  /** Moves the freshness countdowns to `now` without asking the worker. */
  renderFreshness(now: number): void {
    for (const row of this.#rows.values()) fillFreshness(row, now);
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
    purge.addEventListener('click', () => this.purge({ url: entry.url }, shown));
    action.append(purge);
    return { tr, cells, entry };
  }
}

function fillRow(row: Row, entry: CacheEntryInfo, now: number): void {
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
  fillFreshness(row, now);
}

function fillFreshness(row: Row, now: number): void {
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

/** Writes only a changed text, so a screen reader or a selection is not disturbed by a poll. */
function setText(element: HTMLElement, text: string): void {
  if (element.textContent !== text) element.textContent = text;
}
