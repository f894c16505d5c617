/**
 * The inspector's event log: numbered lines that keep their numbers, kept in `sessionStorage` (or
 * any `Storage`) so a reload of the tab shows the same log and numbering goes on from where it
 * was. Pure logic over a `Storage`-like object, unit-tested under Node.
 */

export interface LogLine {
  /** 1, 2, 3… in the order lines were added; never reused, also across reloads. */
  readonly n: number;
  readonly time: number;
  /** `stored`, `evicted`, `hit`, `miss`, `action`, `error`…: what the filters select on. */
  readonly kind: string;
  readonly text: string;
  /** Which context it came from: `this tab`, `worker 3f2a…`, `tab 81c0…`. */
  readonly source: string;
}

/** The part of `Storage` the log uses. */
export type LogStorage = Pick<Storage, 'getItem' | 'setItem'>;

export interface LogFilter {
  /** Kinds to hide. */
  readonly hidden: ReadonlySet<string>;
  /** Case-insensitive text every shown line contains (in its text, kind or source). */
  readonly text: string;
}

export class EventLog {
  #lines: LogLine[];
  #next: number;

  constructor(
    private readonly storage: LogStorage | undefined,
    private readonly key: string,
    private readonly maxLines = 300,
  ) {
    const saved = load(storage, key);
    this.#lines = saved.lines.slice(-maxLines);
    this.#next = saved.next;
  }

  /** Oldest first. */
  get lines(): readonly LogLine[] {
    return this.#lines;
  }

  add(line: Omit<LogLine, 'n'>): LogLine {
    const added = { ...line, n: this.#next++ };
    this.#lines.push(added);
    if (this.#lines.length > this.maxLines)
      this.#lines.splice(0, this.#lines.length - this.maxLines);
    this.#save();
    return added;
  }

  /** Empties the log; numbering goes on (a line number always names one line). */
  clear(): void {
    this.#lines = [];
    this.#save();
  }

  #save(): void {
    try {
      this.storage?.setItem(this.key, JSON.stringify({ next: this.#next, lines: this.#lines }));
    } catch {
      // Storage full or forbidden (a sandboxed frame): the log lives as long as the page.
    }
  }
}

/** Whether `line` passes `filter`. */
export function shown(line: LogLine, filter: LogFilter): boolean {
  if (filter.hidden.has(line.kind)) return false;
  const needle = filter.text.trim().toLowerCase();
  if (needle === '') return true;
  return `${line.kind} ${line.source} ${line.text}`.toLowerCase().includes(needle);
}

function load(storage: LogStorage | undefined, key: string): { next: number; lines: LogLine[] } {
  const empty = { next: 1, lines: [] };
  let raw: string | null;
  try {
    raw = storage?.getItem(key) ?? null;
  } catch {
    return empty;
  }
  if (raw === null) return empty;
  try {
    const data = JSON.parse(raw) as { next?: unknown; lines?: unknown };
    if (!Array.isArray(data.lines)) return empty;
    // Another script may have written anything under the key: keep only well-formed lines.
    const lines = (data.lines as unknown[]).filter(isLine);
    const last = lines.reduce((max, line) => Math.max(max, line.n), 0);
    const next =
      typeof data.next === 'number' && Number.isSafeInteger(data.next) && data.next > last
        ? data.next
        : last + 1;
    return { next, lines };
  } catch {
    return empty;
  }
}

function isLine(value: unknown): value is LogLine {
  if (typeof value !== 'object' || value === null) return false;
  const { n, time, kind, text, source } = value as Record<string, unknown>;
  return (
    typeof n === 'number' &&
    Number.isSafeInteger(n) &&
    typeof time === 'number' &&
    typeof kind === 'string' &&
    typeof text === 'string' &&
    typeof source === 'string'
  );
}
