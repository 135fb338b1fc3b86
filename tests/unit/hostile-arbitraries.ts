/**
 * fast-check arbitraries of hostile input, shared by the unit and the route-level tests.
 */
import fc from "fast-check";

/** Payloads every boundary must survive: injection, markup, encodings, control characters. */
export const HOSTILE_STRINGS: readonly string[] = [
  "'; DROP TABLE judgments; --",
  "1' OR '1'='1",
  "\\'; select pg_sleep(10); --",
  "$1",
  "<script>window.__pwned = 1</script>",
  '<img src=x onerror="window.__pwned = 1">',
  "javascript:alert(1)",
  "[click](javascript:alert(1))",
  "\u0000",
  "a\u0000b",
  "\ud800",
  "\udfff",
  "x\ud83d",
  "\ude00x",
  "😀\ud83d",
  "\u202e\u2066evil",
  "\u200b\u200d\ufeff",
  "\r\n\t\u0007\u001b[31m\u007f\u0085",
  "%00",
  "\\u0000",
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a template-injection probe, meant literally
  "${7*7}{{7*7}}",
  "__proto__",
  "constructor",
  "../../../etc/passwd",
  " ",
  "",
  "ＡＢＣ 孙悟空 🐒",
  "null",
  "NaN",
  "-1",
  "9007199254740993",
  "1e309",
];

const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c));
const control = fc.integer({ min: 0, max: 0x1f }).map((c) => String.fromCharCode(c));

/** Random text with NUL, controls, lone surrogates and payloads spliced in; sometimes huge. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...HOSTILE_STRINGS) },
  { weight: 3, arbitrary: fc.string({ unit: "binary", maxLength: 80 }) },
  { weight: 2, arbitrary: fc.string({ unit: "grapheme", maxLength: 40 }) },
  {
    weight: 3,
    arbitrary: fc
      .array(fc.oneof(fc.string({ maxLength: 10 }), loneSurrogate, control, fc.constantFrom(...HOSTILE_STRINGS)), { maxLength: 8 })
      .map((parts) => parts.join("")),
  },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.constantFrom(10_001, 70_000, 1_100_000), fc.constantFrom("x", "字", "😀", "\u0000", "<"))
      .map(([n, c]) => c.repeat(n)),
  },
);

/** `depth` levels of nesting, alternating arrays and objects. */
export function deepJson(depth: number): unknown {
  let v: unknown = "leaf";
  for (let i = 0; i < depth; i++) v = i % 2 === 0 ? [v] : { a: v };
  return v;
}

/** Any value a JSON body, a form or a query string can carry, and a few it cannot. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 5, arbitrary: hostileString },
  {
    weight: 2,
    arbitrary: fc.constantFrom(NaN, Infinity, -Infinity, -0, 1e308, -1, 0, 0.5, 2 ** 53 + 1, -(2 ** 31), true, false, null, undefined),
  },
  {
    weight: 2,
    arbitrary: fc.anything({ maxDepth: 3, withNullPrototype: true, withBoxedValues: true, withMap: true, withSet: true, withDate: true }),
  },
  { weight: 1, arbitrary: fc.integer({ min: 30, max: 20_000 }).map(deepJson) },
  { weight: 1, arbitrary: fc.array(hostileString, { maxLength: 5 }) },
  { weight: 1, arbitrary: fc.dictionary(hostileString, hostileString, { maxKeys: 4 }) },
  { weight: 1, arbitrary: fc.array(fc.integer(), { minLength: 1000, maxLength: 3000 }) },
);
