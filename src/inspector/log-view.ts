/**
 * The inspector's event log on screen: the list (newest first), a checkbox per kind, the text
 * filter and the Clear log button. The lines themselves, their numbers and their storage are
 * event-log.ts's; what a cache event or an answer says is log-lines.ts's.
 */
import { EventLog, shown, type LogFilter, type LogLine } from './event-log.ts';
import { clock } from './format.ts';
import type { FindPart } from './template.ts';

/** Kinds the log filter always offers; others get a checkbox when first logged. */
const KNOWN_KINDS = ['stored', 'updated', 'evicted', 'purged', 'cleared', 'action', 'error'];

const DEFAULT_LOG_KEY = 'sw-http-cache-inspector:log';

export class LogView {
  #log: EventLog | undefined;
  readonly #hidden = new Set<string>();
  readonly #kinds = new Set<string>();

  constructor(
    private readonly find: FindPart,
    /** The element's `log-key` attribute: the `sessionStorage` key, read when the log opens. */
    private readonly logKey: () => string | null,
  ) {
    this.find('log-search').addEventListener('input', () => this.render());
    this.find('log-clear').addEventListener('click', () => {
      this.#log?.clear();
      this.render();
    });
    for (const name of KNOWN_KINDS) this.#addFilter(name);
  }

  /** Opens the stored log (once) and shows it. */
  open(): void {
    this.#opened();
    this.render();
  }

  add(line: Omit<LogLine, 'n'>): void {
    const log = this.#opened();
    const added = log.add(line);
    this.#addFilter(added.kind);
    if (!shown(added, this.#filter())) return;
    const list = this.find('log');
    list.prepend(logItem(added));
    while (list.children.length > log.lines.length) list.lastElementChild?.remove();
  }

  render(): void {
    const filter = this.#filter();
    for (const line of this.#log?.lines ?? []) this.#addFilter(line.kind);
    const items = (this.#log?.lines ?? []).filter((line) => shown(line, filter)).map(logItem);
    this.find('log').replaceChildren(...items.reverse());
  }

  #opened(): EventLog {
    return (this.#log ??= new EventLog(
      sessionStorageOrNothing(),
      this.logKey() ?? DEFAULT_LOG_KEY,
    ));
  }

  #filter(): LogFilter {
    return { hidden: this.#hidden, text: this.find<HTMLInputElement>('log-search').value };
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
      this.render();
    });
    label.append(box, ` ${name}`);
    this.find('filters').append(label);
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

function sessionStorageOrNothing(): Storage | undefined {
  try {
    return sessionStorage;
  } catch {
    return undefined; // an opaque origin or storage disabled: the log lives as long as the page
  }
}
