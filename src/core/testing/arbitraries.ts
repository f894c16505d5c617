/**
 * Shared fast-check arbitraries and the one way every property test runs its properties
 * ({@link checkProperty}: a fixed seed, so a failure reproduces on every machine).
 *
 * Random strings alone rarely get past the first character of a grammar, so most arbitraries here
 * build inputs from the grammar (RFC 9110 / 9111) and {@link mutated} corrupts them a little: the
 * interesting bugs live next to valid input.
 */
import fc from 'fast-check';
import { expect } from 'vitest';

/**
 * Timeout of one property test: thousands of runs take seconds on a busy machine, more than
 * vitest's 5 s default. Property bodies use `node:assert`, about 30 times cheaper than `expect`.
 */
export const PROPERTY_TIMEOUT_MS = 60_000;

/** The seed of every property run; `PROPERTY_SEED=n` explores another one. */
export const PROPERTY_SEED = Number(process.env.PROPERTY_SEED ?? 20_240_611);

/**
 * Runs `property` `numRuns` times with {@link PROPERTY_SEED} and throws fast-check's report (the
 * shrunk counterexample, the seed and the path to replay it) when it fails. Silent on success;
 * with `PROPERTY_STATS=1` it prints how many inputs were tried, for docs/RELIABILITY.md.
 */
export async function checkProperty<Ts>(
  property: fc.IProperty<Ts> | fc.IAsyncProperty<Ts>,
  numRuns: number,
): Promise<void> {
  const details = await fc.check(property, { seed: PROPERTY_SEED, numRuns });
  if (details.failed) {
    const report = fc.defaultReportMessage(details) ?? 'property failed';
    const cause = details.errorInstance;
    const reason = cause instanceof Error ? cause.message : String(cause);
    throw new Error(`${report}\nGot: ${reason}`, { cause });
  }
  if (process.env.PROPERTY_STATS === '1') {
    const name = expect.getState().currentTestName ?? '(unnamed)';
    console.log(`[property] ${name} | runs=${details.numRuns} skipped=${details.numSkips}`);
  }
}

// ---------------------------------------------------------------------------------------------
// Characters and corruption

/** Characters a `Headers` value may hold (RFC 9110 field-vchar, SP, HTAB, obs-text). */
const FIELD_CHARS = [
  '\t',
  ...Array.from({ length: 0x7f - 0x20 }, (_, i) => String.fromCharCode(0x20 + i)),
  '\u0080',
  '\u00e9',
  '\u00ff',
];

/** One character that is legal in a header value. */
export const fieldChar: fc.Arbitrary<string> = fc.constantFrom(...FIELD_CHARS);

/** Any string a `Headers` object accepts as a value (it trims leading/trailing whitespace). */
export const fieldValue: fc.Arbitrary<string> = fc.string({ unit: fieldChar, maxLength: 60 });

/**
 * Noise: any Unicode text (not valid in a `Headers` value, but a parser must survive it) or any
 * header-legal string. `unit: 'binary'` costs seconds of warm-up per file; graphemes do not.
 */
export const noiseText: fc.Arbitrary<string> = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fieldValue,
);

/** Characters that matter to the grammars here: separators, quotes, digits, signs. */
const SPICY = ['"', ',', '=', ';', '-', ' ', '\t', '\\', '/', '*', '0', '1', '9', '.', 'W', '+'];

/** One edit of {@link mutated}. */
type Edit =
  | { readonly kind: 'insert'; readonly at: number; readonly text: string }
  | { readonly kind: 'delete'; readonly at: number; readonly length: number }
  | { readonly kind: 'duplicate'; readonly at: number; readonly length: number }
  | { readonly kind: 'case'; readonly at: number }
  | { readonly kind: 'truncate'; readonly at: number };

const edit: fc.Arbitrary<Edit> = fc.oneof(
  fc.record({
    kind: fc.constant('insert' as const),
    at: fc.nat(),
    text: fc.oneof(fc.constantFrom(...SPICY), fieldChar, fc.constantFrom('99999999999999999999')),
  }),
  fc.record({
    kind: fc.constant('delete' as const),
    at: fc.nat(),
    length: fc.integer({ min: 1, max: 4 }),
  }),
  fc.record({
    kind: fc.constant('duplicate' as const),
    at: fc.nat(),
    length: fc.integer({ min: 1, max: 12 }),
  }),
  fc.record({ kind: fc.constant('case' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
);

function applyEdit(text: string, e: Edit): string {
  const at = text.length === 0 ? 0 : e.at % (text.length + 1);
  switch (e.kind) {
    case 'insert':
      return text.slice(0, at) + e.text + text.slice(at);
    case 'delete':
      return text.slice(0, at) + text.slice(at + e.length);
    case 'duplicate':
      return text.slice(0, at + e.length) + text.slice(at);
    case 'case': {
      const char = text.charAt(at);
      const other = char === char.toUpperCase() ? char.toLowerCase() : char.toUpperCase();
      // 'ÿ'.toUpperCase() is 'Ÿ' (U+0178), which no header value may hold: keep such a char.
      const flipped = other.length === 1 && other.charCodeAt(0) <= 0xff ? other : char;
      return text.slice(0, at) + flipped + text.slice(at + 1);
    }
    case 'truncate':
      return text.slice(0, at);
  }
}

/** `valid` with zero to three random edits (inserted separators, deletions, case flips…). */
export function mutated(valid: fc.Arbitrary<string>): fc.Arbitrary<string> {
  return fc
    .tuple(valid, fc.array(edit, { maxLength: 3 }))
    .map(([text, edits]) => edits.reduce(applyEdit, text));
}

/** Grammar-built values half the time, corrupted ones or plain noise the other half. */
export function validMutatedOrNoise(valid: fc.Arbitrary<string>): fc.Arbitrary<string> {
  return fc.oneof(
    { arbitrary: valid, weight: 2 },
    { arbitrary: mutated(valid), weight: 2 },
    { arbitrary: fieldValue, weight: 1 },
  );
}

// ---------------------------------------------------------------------------------------------
// Grammar pieces

/** A token (RFC 9110 §5.6.2), short. */
export const token: fc.Arbitrary<string> = fc.string({
  unit: fc.constantFrom(..."abcxyzABC019-_.!#$%&'*+^`|~".split('')),
  minLength: 1,
  maxLength: 8,
});

/** delta-seconds, valid or not: small, huge (overflowing 2^31 and 2^53), signed, fractional. */
export const deltaSecondsText: fc.Arbitrary<string> = fc.oneof(
  fc.nat({ max: 100_000 }).map(String),
  fc.bigInt({ min: 0n, max: 10n ** 25n }).map(String),
  fc.constantFrom('', '-1', '1.5', '1e3', '0x10', ' 60', '060', '2147483648', '2147483647'),
);

const DELTA_NAMES = [
  'max-age',
  's-maxage',
  'max-stale',
  'min-fresh',
  'stale-while-revalidate',
  'stale-if-error',
];
const FLAG_NAMES = [
  'no-store',
  'no-cache',
  'no-transform',
  'only-if-cached',
  'must-revalidate',
  'proxy-revalidate',
  'must-understand',
  'private',
  'public',
  'immutable',
];

/** One Cache-Control directive as text, in odd case and spacing now and then. */
export const cacheDirectiveText: fc.Arbitrary<string> = fc
  .tuple(
    fc.oneof(fc.constantFrom(...DELTA_NAMES, ...FLAG_NAMES), token),
    fc.option(
      fc.oneof(
        deltaSecondsText,
        deltaSecondsText.map((d) => `"${d}"`),
        fc.constantFrom('"set-cookie, x-a"', '""', '"unterminated', 'a"b'),
      ),
      { nil: undefined },
    ),
    fc.boolean(),
    fc.constantFrom('', ' ', '\t'),
  )
  .map(([name, argument, upper, space]) => {
    const shown = upper ? name.toUpperCase() : name;
    return argument === undefined ? shown : `${shown}${space}=${space}${argument}`;
  });

/** A Cache-Control field value: directives joined with commas (sometimes empty members). */
export const cacheControlText: fc.Arbitrary<string> = fc
  .tuple(fc.array(cacheDirectiveText, { maxLength: 6 }), fc.constantFrom(', ', ',', ' , ', ',,'))
  .map(([directives, separator]) => directives.join(separator));

const LONG_DAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

/** Times whose year fits the four-digit HTTP-date grammar (years 0000–9999). */
export const httpTime: fc.Arbitrary<number> = fc.integer({
  min: -62_167_219_200_000, // 0000-01-01T00:00:00Z
  max: 253_402_300_799_999, // 9999-12-31T23:59:59.999Z
});

/** A valid HTTP-date in one of the three formats of RFC 9110 §5.6.7, whole seconds. */
export const httpDateText: fc.Arbitrary<string> = fc
  .tuple(fc.integer({ min: 0, max: 4_102_444_799 }), fc.constantFrom('imf', 'rfc850', 'asctime'))
  .map(([seconds, format]) => {
    const date = new Date(seconds * 1000);
    const imf = date.toUTCString(); // "Sun, 06 Nov 1994 08:49:37 GMT"
    const [day = '', dd = '', mon = '', yyyy = '', time = ''] = imf.replace(',', '').split(' ');
    if (format === 'imf') return imf;
    if (format === 'rfc850') {
      const long = LONG_DAYS[(date.getUTCDay() + 6) % 7] ?? 'Monday';
      return `${long}, ${dd}-${mon}-${yyyy.slice(-2)} ${time} GMT`;
    }
    return `${day} ${mon} ${String(date.getUTCDate()).padStart(2, ' ')} ${time} ${yyyy}`;
  });

/** An HTTP-date, a corrupted one, a number, or noise (for `Expires`, `Date`, `Last-Modified`…). */
export const httpDateField: fc.Arbitrary<string> = fc.oneof(
  validMutatedOrNoise(httpDateText),
  fc.constantFrom('0', '-1', 'Thu, 30 Feb 2023 10:00:00 GMT', 'Sun, 06 Nov 1994 24:00:00 GMT'),
);

/** An entity-tag: strong or weak, opaque part with commas, spaces and odd bytes. */
export const entityTagText: fc.Arbitrary<string> = fc
  .tuple(
    fc.boolean(),
    fc.string({ unit: fc.constantFrom('a', 'b', '1', ',', ' ', '/', 'W', '\u00e9'), maxLength: 6 }),
  )
  .map(([weak, opaque]) => `${weak ? 'W/' : ''}"${opaque}"`);

/** An `If-None-Match` / `ETag` list value built from entity-tags (or `*`). */
export const entityTagListText: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.constant('*'), weight: 1 },
  {
    arbitrary: fc
      .tuple(
        fc.array(entityTagText, { minLength: 1, maxLength: 4 }),
        fc.constantFrom(', ', ',', ' ,\t', ', , '),
      )
      .map(([tags, separator]) => tags.join(separator)),
    weight: 6,
  },
);

/** A `Range` value: `bytes=` plus int / open / suffix range-specs, big and small numbers. */
export function rangeText(maxPosition: number): fc.Arbitrary<string> {
  const position = fc.oneof(
    fc.nat({ max: maxPosition + 2 }).map(String),
    fc.constantFrom('0', '00', '99999999999999999999999'),
  );
  const spec = fc.oneof(
    fc
      .tuple(position, position)
      .map(([a, b]) => (Number(a) <= Number(b) ? `${a}-${b}` : `${b}-${a}`)),
    position.map((a) => `${a}-`),
    position.map((n) => `-${n}`),
  );
  return fc
    .tuple(
      fc.constantFrom('bytes', 'bytes', 'bytes', 'BYTES', 'Bytes', 'items'),
      // Mostly a few ranges (which get served); sometimes enough to hit the limits.
      fc.oneof(
        { arbitrary: fc.array(spec, { minLength: 1, maxLength: 3 }), weight: 4 },
        { arbitrary: fc.array(spec, { minLength: 1, maxLength: 20 }), weight: 1 },
      ),
      fc.constantFrom(',', ', ', ' , ', ',,'),
    )
    .map(([unit, specs, separator]) => `${unit}=${specs.join(separator)}`);
}

/** Header names in random case, from the ones the cache reads plus random tokens. */
export const headerName: fc.Arbitrary<string> = fc
  .tuple(
    fc.oneof(
      fc.constantFrom(
        'accept',
        'accept-encoding',
        'accept-language',
        'content-length',
        'content-type',
        'content-encoding',
        'content-range',
        'vary',
        'etag',
        'date',
        'age',
        'x-a',
      ),
      token.filter((t) => /^[a-z0-9!#$%&'*+.^_`|~-]+$/i.test(t)),
    ),
    fc.boolean(),
  )
  .map(([name, upper]) => (upper ? name.toUpperCase() : name));

/** An http(s) URL with optional port, path with dot segments and escapes, query and fragment. */
export const urlText: fc.Arbitrary<string> = fc
  .tuple(
    fc.constantFrom('https', 'http', 'HTTPS'),
    fc.constantFrom('example.test', 'EXAMPLE.test', 'a.example.test', 'other.test', '127.0.0.1'),
    fc.constantFrom('', ':443', ':80', ':8080'),
    fc.array(
      fc.oneof(
        fc.constantFrom(
          '.',
          '..',
          '%2e',
          '%2E%2e',
          'a',
          'B',
          '%41',
          '%7e',
          '~',
          '%20',
          ' ',
          'é',
          '',
        ),
        token,
      ),
      { maxLength: 5 },
    ),
    fc.option(fc.constantFrom('?', '?a=1', '?a=1&b=%20', '?q=é#'), { nil: undefined }),
    fc.option(fc.constantFrom('#', '#frag', '#a?b', '#%20'), { nil: undefined }),
  )
  .map(
    ([scheme, host, port, segments, query, fragment]) =>
      `${scheme}://${host}${port}/${segments.join('/')}${query ?? ''}${fragment ?? ''}`,
  );
