/**
 * Content negotiation fields as selecting headers (RFC 9111 §4.1): their values normalised so
 * that requests meaning the same thing select the same stored variant, and the `Accept-Language`
 * preference that lets a stored response in the request's most preferred language be selected
 * without an exact match. See docs/decisions/rfc9111-semantics.md, "Vary".
 */

/**
 * Weighted lists whose members compare case-insensitively and whose order carries no meaning
 * beyond the q-values (RFC 9110 §12.4.2, §12.5.1–§12.5.4): the members are lowercased
 * (`accept` keeps parameter values as sent: only names are case-insensitive there) and sorted.
 */
const WEIGHTED_LISTS: ReadonlySet<string> = new Set([
  'accept',
  'accept-charset',
  'accept-encoding',
  'accept-language',
]);

/** One member of a weighted list: what it names (normalised) and its weight. */
export interface WeightedMember {
  readonly value: string;
  /** 0–1, three decimals at most (RFC 9110 §12.4.2); 1 when absent. */
  readonly q: number;
}

const QVALUE = /^(?:0(?:\.\d{0,3})?|1(?:\.0{0,3})?)$/;
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z/]+$/;

/**
 * Parses a weighted list (`en-US, fr;q=0.8`); `null` when a member does not parse, so that the
 * caller falls back to comparing the value as it is. Empty members are skipped (RFC 9110
 * §5.6.1). Parameters other than `q` are kept, with whitespace removed, after the lowercased
 * range; for `accept`, parameter values keep their case.
 */
export function parseWeightedList(field: string, value: string): WeightedMember[] | null {
  const members: WeightedMember[] = [];
  for (const raw of value.split(',')) {
    if (raw.trim() === '') continue;
    const [range = '', ...params] = raw.split(';').map((part) => part.trim());
    if (!TOKEN.test(range)) return null;
    let q = 1;
    const kept: string[] = [];
    for (const param of params) {
      const eq = param.indexOf('=');
      if (eq <= 0) return null;
      const name = param.slice(0, eq).trim().toLowerCase();
      const argument = param.slice(eq + 1).trim();
      if (!TOKEN.test(name) || argument === '') return null;
      if (name === 'q') {
        if (!QVALUE.test(argument)) return null;
        q = Number(argument);
      } else {
        kept.push(`${name}=${field === 'accept' ? argument : argument.toLowerCase()}`);
      }
    }
    members.push({ value: [range.toLowerCase(), ...kept].join(';'), q });
  }
  return members;
}

/**
 * The canonical form of a weighted list (`Accept`, `Accept-Charset`, `Accept-Encoding`,
 * `Accept-Language`) for comparison as a selecting header: lowercased, deduplicated and sorted
 * by q-value, highest first, then alphabetically, with `q=1` left implicit. `null` for any other
 * field, or a value that does not parse (the caller then compares it with the whitespace rule
 * only).
 */
export function canonicalWeightedList(name: string, value: string): string | null {
  const field = name.toLowerCase();
  if (!WEIGHTED_LISTS.has(field)) return null;
  const members = parseWeightedList(field, value);
  if (members === null) return null;
  const weights = new Map<string, number>();
  // A member listed twice keeps its first weight, as a server reading the list in order would.
  for (const { value: member, q } of members) if (!weights.has(member)) weights.set(member, q);
  return [...weights]
    .sort(([a, qa], [b, qb]) => qb - qa || (a < b ? -1 : a > b ? 1 : 0))
    .map(([member, q]) => (q === 1 ? member : `${member};q=${q}`))
    .join(',');
}

/**
 * Whether a stored response whose `Content-Language` is `contentLanguage` is in the language the
 * request's `Accept-Language` prefers most: one of its tags is matched (RFC 4647 §3.3.1 basic
 * filtering: equal, or the range followed by `-`) by a range carrying the request's highest
 * q-value, and no range with that tag excludes it (`q=0`). The wildcard `*` is not a preference
 * for any particular language, so it never selects. The origin would pick that language too:
 * it is the request's first choice and the origin has it (it sent the stored response).
 */
export function prefersContentLanguage(
  acceptLanguage: string | null,
  contentLanguage: string | null,
): boolean {
  if (acceptLanguage === null || contentLanguage === null) return false;
  const ranges = parseWeightedList('accept-language', acceptLanguage);
  if (ranges === null) return false;
  const tags = contentLanguage
    .split(',')
    .map((tag) => tag.trim().toLowerCase())
    .filter((tag) => tag !== '');
  const specific = ranges.filter((range) => range.value !== '*' && !range.value.includes(';'));
  const top = Math.max(0, ...specific.map((range) => range.q));
  if (top === 0) return false;
  const matches = (range: string, tag: string) => tag === range || tag.startsWith(`${range}-`);
  return tags.some((tag) => {
    const best = specific
      .filter((range) => matches(range.value, tag))
      // The longest matching range is the most specific statement about this tag.
      .sort((a, b) => b.value.length - a.value.length)[0];
    return best !== undefined && best.q === top;
  });
}
