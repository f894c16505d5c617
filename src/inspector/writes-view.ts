/**
 * The inspector's "Writes in progress": one line per entry still being written, with its bytes
 * so far (of the expected length, when the response had a Content-Length) and its readers.
 */
import type { CacheEntryInfo } from '../protocol/control-protocol.ts';
import { displayUrl, formatBytes } from './format.ts';
import type { FindPart } from './template.ts';

export function renderWrites(find: FindPart, entries: readonly CacheEntryInfo[]): void {
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
      entry.readers === 0 ? '' : `, ${entry.readers} ${entry.readers === 1 ? 'reader' : 'readers'}`;
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
  find('writes').replaceChildren(...items);
  find('writes-empty').hidden = items.length > 0;
}
