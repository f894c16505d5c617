import { describe, expect, it } from 'vitest';
import { EventLog, shown, type LogStorage } from './event-log.ts';

class MemoryStorage implements LogStorage {
  readonly items = new Map<string, string>();
  getItem(key: string): string | null {
    return this.items.get(key) ?? null;
  }
  setItem(key: string, value: string): void {
    this.items.set(key, value);
  }
}

const line = (kind: string, text = 'x', source = 'this tab') => ({
  time: 1,
  kind,
  text,
  source,
});

describe('EventLog', () => {
  it('numbers lines once and keeps the numbers when old lines drop off', () => {
    const log = new EventLog(undefined, 'k', 3);
    for (let i = 0; i < 5; i++) log.add(line('stored', `line ${i}`));
    expect(log.lines.map((l) => [l.n, l.text])).toEqual([
      [3, 'line 2'],
      [4, 'line 3'],
      [5, 'line 4'],
    ]);
  });

  it('survives a reload: the same lines, and numbering goes on', () => {
    const storage = new MemoryStorage();
    const first = new EventLog(storage, 'k');
    first.add(line('stored'));
    first.add(line('purged'));
    const reloaded = new EventLog(storage, 'k');
    expect(reloaded.lines.map((l) => [l.n, l.kind])).toEqual([
      [1, 'stored'],
      [2, 'purged'],
    ]);
    expect(reloaded.add(line('cleared')).n).toBe(3);
  });

  it('goes on numbering after the log is emptied', () => {
    const storage = new MemoryStorage();
    const log = new EventLog(storage, 'k');
    log.add(line('a'));
    log.clear();
    expect(new EventLog(storage, 'k').add(line('b')).n).toBe(2);
  });

  it('drops malformed saved lines and never numbers below a kept one', () => {
    const storage = new MemoryStorage();
    storage.setItem(
      'k',
      JSON.stringify({
        next: 2,
        lines: [{ n: 7, time: 1, kind: 'stored', text: 't', source: 's' }, { n: 'x' }, null],
      }),
    );
    const log = new EventLog(storage, 'k');
    expect(log.lines).toHaveLength(1);
    expect(log.add(line('stored')).n).toBe(8);
  });

  it('starts empty on garbage and on storage that throws', () => {
    const storage = new MemoryStorage();
    storage.setItem('k', '{not json');
    expect(new EventLog(storage, 'k').lines).toEqual([]);
    const throwing: LogStorage = {
      getItem: () => {
        throw new Error('SecurityError');
      },
      setItem: () => {
        throw new Error('QuotaExceededError');
      },
    };
    const log = new EventLog(throwing, 'k');
    expect(log.add(line('stored')).n).toBe(1);
  });
});

describe('shown', () => {
  it('hides filtered kinds and matches text in text, kind or source', () => {
    const stored = { ...line('stored', '/api/logo', 'worker ab12'), n: 1 };
    expect(shown(stored, { hidden: new Set(), text: '' })).toBe(true);
    expect(shown(stored, { hidden: new Set(['stored']), text: '' })).toBe(false);
    expect(shown(stored, { hidden: new Set(), text: 'LOGO' })).toBe(true);
    expect(shown(stored, { hidden: new Set(), text: 'ab12' })).toBe(true);
    expect(shown(stored, { hidden: new Set(), text: 'news' })).toBe(false);
  });
});
