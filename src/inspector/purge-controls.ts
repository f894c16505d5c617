/**
 * The inspector's purge form (by URL, prefix or tag, with the stored URLs or tags as suggestions)
 * and its Clear all button. What purging and clearing do is the element's (it holds the client).
 */
import type { CacheEntryInfo, PurgeTarget } from '../protocol/control-protocol.ts';
import type { FindPart } from './template.ts';

export interface PurgeActions {
  /** `described` names the target in the log, e.g. `prefix /api/`. */
  purge(target: PurgeTarget, described: string): void;
  clear(): void;
}

export class PurgeControls {
  constructor(
    private readonly find: FindPart,
    actions: PurgeActions,
    /** The entries on show, whose URLs or tags are suggested. */
    private readonly stored: () => Iterable<CacheEntryInfo>,
  ) {
    const form = find<HTMLFormElement>('purge-form');
    const kind = find<HTMLSelectElement>('purge-kind');
    const value = find<HTMLInputElement>('purge-value');
    kind.addEventListener('change', () => this.suggest());
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const text = value.value.trim();
      if (text === '') return;
      const what = kind.value as 'url' | 'prefix' | 'tag';
      const target: PurgeTarget =
        what === 'url' ? { url: text } : what === 'prefix' ? { prefix: text } : { tag: text };
      actions.purge(target, `${what === 'url' ? 'URL' : what} ${text}`);
    });
    find('clear').addEventListener('click', () => actions.clear());
  }

  /** Offers the stored URLs or tags as suggestions for the purge field. */
  suggest(): void {
    const kind = this.find<HTMLSelectElement>('purge-kind').value;
    const values = new Set<string>();
    for (const entry of this.stored()) {
      if (kind === 'tag') for (const tag of entry.tags) values.add(tag);
      else values.add(entry.url);
    }
    const list = this.find('purge-suggestions');
    const options = [...values].sort().map((value) => new Option(value, value));
    list.replaceChildren(...options);
  }
}
