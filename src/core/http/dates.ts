/**
 * HTTP-date parsing and formatting (RFC 9110 §5.6.7).
 *
 * Recipients must accept all three historical formats; anything else is "invalid", which the
 * callers treat as the RFC asks for each field (an invalid `Expires` means "already expired",
 * an invalid `Date` means "use the time the response was received", and so on).
 */

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const SHORT_DAYS = '(?:mon|tue|wed|thu|fri|sat|sun)';
const LONG_DAYS = '(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)';
const MONTH = '(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)';
const TIME = '(\\d{2}):(\\d{2}):(\\d{2})';

/** `Sun, 06 Nov 1994 08:49:37 GMT` */
const IMF_FIXDATE = new RegExp(`^${SHORT_DAYS}, (\\d{2}) ${MONTH} (\\d{4}) ${TIME} GMT$`, 'i');
/** `Sunday, 06-Nov-94 08:49:37 GMT` */
const RFC850_DATE = new RegExp(`^${LONG_DAYS}, (\\d{2})-${MONTH}-(\\d{2}) ${TIME} GMT$`, 'i');
/** `Sun Nov  6 08:49:37 1994` (day padded with a space or, leniently, a zero) */
const ASCTIME_DATE = new RegExp(`^${SHORT_DAYS} ${MONTH} ([ \\d]\\d) ${TIME} (\\d{4})$`, 'i');

/** A list comma: one followed by the weekday that starts each of the three date formats. */
const MEMBER_SEPARATOR = new RegExp(`,\\s*(?=${LONG_DAYS}|${SHORT_DAYS}\\b)`, 'i');

const MS_PER_YEAR_APPROX = 365.25 * 24 * 3600 * 1000;

/**
 * Milliseconds since the epoch for an HTTP-date, or `null` when the value is not a valid
 * HTTP-date in any of the three formats (RFC 9110 §5.6.7). Month and weekday names compare
 * case-insensitively and surrounding whitespace is ignored (recipients "are encouraged to be
 * robust"); the weekday is not checked against the date.
 *
 * @param now Reference time for the two-digit years of rfc850-date: a year that would be more
 *   than 50 years in the future is the most recent past year with the same last two digits.
 */
export function parseHttpDate(value: string | null | undefined, now: number): number | null {
  if (value == null) return null;
  const text = value.trim();
  let match = IMF_FIXDATE.exec(text);
  if (match) return build(match[3], match[2], match[1], match[4], match[5], match[6]);
  match = ASCTIME_DATE.exec(text);
  if (match) return build(match[6], match[1], match[2], match[3], match[4], match[5]);
  match = RFC850_DATE.exec(text);
  if (match) {
    const twoDigit = Number(match[3]);
    const currentYear = new Date(now).getUTCFullYear();
    let year = currentYear - (currentYear % 100) + twoDigit;
    // "more than 50 years in the future" → the same two digits one century earlier.
    const candidate = build(String(year), match[2], match[1], match[4], match[5], match[6]);
    if (candidate !== null && candidate - now > 50 * MS_PER_YEAR_APPROX) year -= 100;
    return build(String(year), match[2], match[1], match[4], match[5], match[6]);
  }
  return null;
}

/**
 * A combined field value that may hold several HTTP-dates (two `Expires` or `Date` lines, which
 * Fetch joins with ", "): the date when every member parses and all name the same instant, else
 * `null` (RFC 9111 §4.2.1: with several values "the response should be considered stale"; an
 * invalid date is handled by each caller as the RFC asks for that field). Dates contain commas
 * themselves, so members are split only where a comma is followed by a weekday name.
 */
export function parseSingletonHttpDate(
  value: string | null | undefined,
  now: number,
): number | null {
  if (value == null) return null;
  const whole = parseHttpDate(value, now);
  if (whole !== null) return whole;
  const members = value.split(MEMBER_SEPARATOR);
  if (members.length < 2) return null;
  const dates = members.map((member) => parseHttpDate(member, now));
  const [first] = dates;
  return first != null && dates.every((date) => date === first) ? first : null;
}

function build(
  year: string | undefined,
  month: string | undefined,
  day: string | undefined,
  hour: string | undefined,
  minute: string | undefined,
  second: string | undefined,
): number | null {
  const monthIndex = MONTHS.indexOf((month ?? '').toLowerCase());
  const y = Number(year);
  const d = Number((day ?? '').trim());
  const h = Number(hour);
  const m = Number(minute);
  const s = Number(second);
  // second 60 is a leap second (RFC 9110 §5.6.7); Date.UTC rolls it into the next minute.
  if (monthIndex < 0 || d < 1 || h > 23 || m > 59 || s > 60) return null;
  // Reject dates like 31 Feb, which would silently roll over into March.
  if (new Date(utc(y, monthIndex, d, 0, 0, 0)).getUTCDate() !== d) return null;
  return utc(y, monthIndex, d, h, m, s);
}

/** `Date.UTC` without its mapping of years 0–99 to 1900–1999 (`0099` is year 99, not 1999). */
function utc(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  second: number,
): number {
  const date = new Date(0);
  date.setUTCFullYear(year, month, day);
  date.setUTCHours(hour, minute, second, 0);
  return date.getTime();
}

/** The IMF-fixdate form of a time, e.g. `Sun, 06 Nov 1994 08:49:37 GMT` (RFC 9110 §5.6.7). */
export function formatHttpDate(time: number): string {
  return new Date(time).toUTCString();
}
