/**
 * A small reader for the RFC 9211 `Cache-Status` header, so tests assert on fields
 * (`hit`, `fwd`, `stored`, `ttl`) instead of on whole header strings.
 */

/** One cache's entry in `Cache-Status`, e.g. `sw-http-cache; fwd=stale; fwd-status=304; stored`. */
export interface CacheStatus {
  /** The cache that wrote this member, e.g. `sw-http-cache`. */
  cache: string;
  /** Served from cache without going to the origin. */
  hit: boolean;
  /** Why the request went forward: `uri-miss`, `vary-miss`, `miss`, `stale`, `request`, `bypass`… */
  fwd?: string;
  /** Status of the forwarded response, e.g. 304 after a successful revalidation. */
  fwdStatus?: number;
  /** Whether the forwarded response was stored. */
  stored: boolean;
  /** Whether the request was collapsed with another one for the same resource. */
  collapsed: boolean;
  /** Remaining freshness in seconds (negative when stale). */
  ttl?: number;
  key?: string;
  detail?: string;
  /** Every parameter as written (token/string values unquoted, bare flags as `true`). */
  params: Record<string, string | number | true>;
}

/** Splits on `separator` outside double-quoted strings. */
function splitOutsideQuotes(value: string, separator: string): string[] {
  const parts: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < value.length; i++) {
    const char = value.charAt(i);
    if (quoted && char === '\\') {
      current += char + value.charAt(++i);
      continue;
    }
    if (char === '"') quoted = !quoted;
    if (char === separator && !quoted) {
      parts.push(current);
      current = '';
    } else {
      current += char;
    }
  }
  parts.push(current);
  return parts.map((part) => part.trim());
}

/** A structured-field bare item: quoted string, integer, or token. */
function parseItem(raw: string): string | number {
  if (raw.startsWith('"') && raw.endsWith('"') && raw.length >= 2) {
    return raw.slice(1, -1).replace(/\\(.)/g, '$1');
  }
  return /^-?\d+$/.test(raw) ? Number(raw) : raw;
}

/** Parses one list member: `cache-name *( ";" key [ "=" value ] )`. */
function parseMember(member: string): CacheStatus {
  const [name = '', ...rawParams] = splitOutsideQuotes(member, ';');
  const params: Record<string, string | number | true> = {};
  for (const rawParam of rawParams) {
    const equals = rawParam.indexOf('=');
    if (equals === -1) params[rawParam.trim()] = true;
    else params[rawParam.slice(0, equals).trim()] = parseItem(rawParam.slice(equals + 1).trim());
  }
  const text = (key: string) => (params[key] === undefined ? undefined : String(params[key]));
  const number = (key: string) => (typeof params[key] === 'number' ? params[key] : undefined);
  return {
    cache: String(parseItem(name)),
    hit: params['hit'] === true,
    fwd: text('fwd'),
    fwdStatus: number('fwd-status'),
    stored: params['stored'] === true,
    collapsed: params['collapsed'] === true,
    ttl: number('ttl'),
    key: text('key'),
    detail: text('detail'),
    params,
  };
}

/** Every member of a `Cache-Status` value, in order (the first is the cache nearest the origin). */
export function parseCacheStatusList(value: string): CacheStatus[] {
  return splitOutsideQuotes(value, ',')
    .filter((member) => member !== '')
    .map(parseMember);
}

/**
 * The first member of a `Cache-Status` value — the one the worker writes. Throws when the header
 * is missing or empty, which in these tests means the worker did not handle the response.
 */
export function parseCacheStatus(value: string | null | undefined): CacheStatus {
  const [first] = parseCacheStatusList(value ?? '');
  if (first === undefined) throw new Error(`no Cache-Status member in ${JSON.stringify(value)}`);
  return first;
}
