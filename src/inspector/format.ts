/**
 * What the inspector shows, as text: sizes, freshness, URLs, times. Pure functions (no DOM), so
 * they are unit-tested under Node.
 */

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'] as const;

/**
 * Bytes in binary units with at most three significant digits and no trailing zeros:
 * "512 B", "1.5 KiB", "320 KiB", "1 GiB" (not "1024.0 MiB").
 */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '—';
  let value = bytes;
  let unit = 0;
  // Move up a unit as soon as the rounded value would read 1024 or more.
  while (unit < UNITS.length - 1 && Number(roundSignificant(value)) >= 1024) {
    value /= 1024;
    unit++;
  }
  return `${roundSignificant(value)} ${UNITS[unit]}`;
}

function roundSignificant(value: number): string {
  if (value >= 100) return String(Math.round(value));
  const decimals = value >= 10 ? 1 : 2;
  return String(Number(value.toFixed(decimals)));
}

/** Whether an entry counts as fresh at `now`, by the same rounding as {@link formatFreshness}. */
export function isFreshAt(freshUntil: number, now: number): boolean {
  return freshUntil - now >= 1000;
}

/**
 * "fresh for 4 s", "stale for 2 min". Whole seconds, rounded towards staleness: the last
 * fraction of a second of freshness already reads "stale for 0 s", and both the text and
 * {@link isFreshAt} call it stale, so a row is never green while it says "stale".
 */
export function formatFreshness(freshUntil: number, now: number): string {
  const ms = freshUntil - now;
  return isFreshAt(freshUntil, now)
    ? `fresh for ${formatDuration(Math.floor(ms / 1000))}`
    : `stale for ${formatDuration(Math.max(0, Math.floor(-ms / 1000)))}`;
}

/** "45 s", "3 min", "5 h", "12 d". */
export function formatDuration(seconds: number): string {
  if (seconds < 120) return `${seconds} s`;
  if (seconds < 7200) return `${Math.round(seconds / 60)} min`;
  if (seconds < 172_800) return `${Math.round(seconds / 3600)} h`;
  return `${Math.round(seconds / 86_400)} d`;
}

/**
 * A URL as a person reads it: path and query when it is on `base`'s origin, the whole URL
 * otherwise; percent-escapes decoded where that yields readable text (`%20` → space, `%3D` →
 * `=`, UTF-8 sequences → their characters). A malformed escape leaves that component as it was.
 */
export function displayUrl(url: string, base: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url, base);
  } catch {
    return url;
  }
  const sameOrigin = parsed.origin === new URL(base).origin;
  const path = decodeComponent(parsed.pathname);
  const query = parsed.search === '' ? '' : `?${decodeQuery(parsed.search.slice(1))}`;
  return sameOrigin ? path + query : `${parsed.origin}${path}${query}`;
}

function decodeQuery(query: string): string {
  // `+` is a space in form-encoded queries; decode each name and value on its own.
  return query
    .split('&')
    .map((pair) =>
      pair
        .split('=')
        .map((part) => decodeComponent(part.replace(/\+/g, ' ')))
        .join('='),
    )
    .join('&');
}

function decodeComponent(text: string): string {
  try {
    // Control characters stay escaped: they would be invisible or break the line.
    return decodeURIComponent(text).replace(
      // eslint-disable-next-line no-control-regex -- matching them is the point
      /[\u0000-\u001f\u007f]/g,
      (c) => `%${c.charCodeAt(0).toString(16).padStart(2, '0').toUpperCase()}`,
    );
  } catch {
    return text;
  }
}

/** "14:03:27" (24-hour clock). */
export function clock(time: number): string {
  return new Date(time).toLocaleTimeString('en-GB', { hour12: false });
}

/** "83 %" from 0.83; "—" before the first answer. */
export function formatRatio(ratio: number, answers: number): string {
  return answers === 0 ? '—' : `${Math.round(ratio * 100)} %`;
}
