/**
 * The import line: one role-play item (a character, an optional scene, the dialogue
 * context and 2..N candidate replies) as it arrives in a JSONL import file.
 *
 * This is the stable, documented interface users script against (see
 * `docs/import-format.md`).
 * Everything here is pure: no database. Checks that need the project (does a
 * referenced character exist, is the gold answer on the project's scale, are ties
 * allowed) are separate functions the import service calls with the project's settings.
 *
 * Text is never rewritten: contents, scenes, profiles and metadata keep every code
 * point exactly as sent (Chinese, emoji, full-width punctuation, leading/trailing
 * whitespace). Only identifiers (`external_id`, character names, model names, versions)
 * are trimmed. Text that PostgreSQL cannot store faithfully (U+0000, unpaired UTF-16
 * surrogates) is refused instead of being silently altered.
 */
import { z } from "zod";
import { isValidStrength, scaleValues, type Ranks, type ScalePoints } from "@/lib/domain/preference";

/**
 * Size caps of the import format. Lengths are in UTF-16 code units (JavaScript
 * `string.length`: one per Chinese character, two per emoji); the line cap is in
 * UTF-8 bytes of the raw line.
 */
export const IMPORT_LIMITS = {
  /** One JSONL line (or one CSV record), in UTF-8 bytes, line terminator excluded. */
  maxLineBytes: 1_048_576,
  /** `external_id`, after trimming. */
  maxExternalIdLength: 200,
  /** Character name, model name, candidate version, after trimming. */
  maxNameLength: 200,
  /** `scene`. */
  maxSceneLength: 20_000,
  /** Messages in `context`. */
  maxMessages: 200,
  /** One context message's `content`. */
  maxMessageLength: 20_000,
  /** Fewest candidates an item needs to make tasks (items with fewer wait for generation). */
  minCandidates: 2,
  /** Most candidates per item (a K-wise ranking of 8 is already a heavy task). */
  maxCandidates: 8,
  /** One candidate's `content`. */
  maxCandidateLength: 20_000,
  /** A character profile, serialised as compact JSON. */
  maxProfileChars: 50_000,
  /** Nesting of profile and metadata values (the top-level object is depth 1). */
  maxDepth: 8,
  /** A key inside a profile or metadata object. */
  maxKeyLength: 200,
  /** Item metadata, and each candidate's metadata, serialised as compact JSON. */
  maxMetadataChars: 20_000,
  /** Problems listed in an import report (the total is always counted). */
  maxReportedErrors: 100,
} as const;

/** Strength range accepted before the project's scale is known (the 7-point scale's). */
const MAX_ABS_STRENGTH = 3;

// ---------------------------------------------------------------------------
// Text helpers

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Why a string cannot be stored exactly, or null when it can. */
export function textProblem(s: string): string | null {
  if (s.includes("\u0000")) return "contains a NUL character (U+0000), which cannot be stored";
  if (LONE_SURROGATE.test(s)) return "contains an unpaired UTF-16 surrogate (invalid Unicode)";
  return null;
}

const n = (x: number) => x.toLocaleString("en-US");

function typeName(input: unknown): string {
  if (input === null) return "null";
  if (Array.isArray(input)) return "array";
  return typeof input;
}

/** Error map for a leaf: "is required" when missing, "must be X (got Y)" otherwise. */
function mustBe(what: string) {
  return (iss: { input?: unknown }) => (iss.input === undefined ? "is required" : `must be ${what} (got ${typeName(iss.input)})`);
}

/** A trimmed identifier: non-empty, capped, storable. */
function identifier(max: number) {
  return z
    .string({ error: mustBe("a string") })
    .trim()
    .superRefine((s, ctx) => {
      if (s.length === 0) ctx.addIssue({ code: "custom", message: "must not be empty" });
      else if (s.length > max) ctx.addIssue({ code: "custom", message: `must be at most ${n(max)} characters (got ${n(s.length)})` });
      const p = textProblem(s);
      if (p) ctx.addIssue({ code: "custom", message: p });
    });
}

/** Free text kept exactly: must contain something other than whitespace, capped, storable. */
function text(max: number) {
  return z.string({ error: mustBe("a string") }).superRefine((s, ctx) => {
    if (s.trim().length === 0) ctx.addIssue({ code: "custom", message: "must not be empty or only whitespace" });
    else if (s.length > max) ctx.addIssue({ code: "custom", message: `must be at most ${n(max)} characters (got ${n(s.length)})` });
    const p = textProblem(s);
    if (p) ctx.addIssue({ code: "custom", message: p });
  });
}

// ---------------------------------------------------------------------------
// Free-form JSON trees (profiles and metadata)

/** A profile value: text, a list, or a nested object (keys in any language). */
export type ProfileValue = string | number | boolean | ProfileValue[] | { [key: string]: ProfileValue };
/** A character profile: attribute name → value, in the author's order. */
export type Profile = { [key: string]: ProfileValue };
/** Any JSON value (metadata). */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
/** A JSON object (metadata). */
export type JsonObject = { [key: string]: JsonValue };

interface TreeRules {
  allowNull: boolean;
  maxChars: number;
  what: string;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== "object" || v === null || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/** Walks a JSON tree and reports every problem with its path. */
function checkTree(
  value: unknown,
  path: (string | number)[],
  depth: number,
  rules: TreeRules,
  issues: { path: (string | number)[]; message: string }[],
): void {
  if (issues.length >= 20) return;
  if (typeof value === "string") {
    const p = textProblem(value);
    if (p) issues.push({ path, message: p });
    return;
  }
  if (typeof value === "number") {
    if (!Number.isFinite(value)) issues.push({ path, message: "must be a finite number" });
    return;
  }
  if (typeof value === "boolean") return;
  if (value === null) {
    if (!rules.allowNull) issues.push({ path, message: `must be text, a list or an object in ${rules.what} (got null)` });
    return;
  }
  if (depth > IMPORT_LIMITS.maxDepth) {
    issues.push({ path, message: `is nested deeper than ${IMPORT_LIMITS.maxDepth} levels` });
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((v, i) => checkTree(v, [...path, i], depth + 1, rules, issues));
    return;
  }
  if (isPlainObject(value)) {
    for (const [k, v] of Object.entries(value)) {
      const kp = textProblem(k);
      if (kp) issues.push({ path: [...path, k], message: `key ${kp}` });
      else if (k.trim().length === 0) issues.push({ path: [...path, k], message: "key must not be empty" });
      else if (k.length > IMPORT_LIMITS.maxKeyLength)
        issues.push({ path: [...path, k], message: `key must be at most ${IMPORT_LIMITS.maxKeyLength} characters` });
      checkTree(v, [...path, k], depth + 1, rules, issues);
    }
    return;
  }
  issues.push({ path, message: `must be text, a number, a list or an object (got ${typeName(value)})` });
}

function jsonObject<T>(rules: TreeRules) {
  return z
    .custom<T>((v) => isPlainObject(v), { error: mustBe("an object") })
    .superRefine((obj, ctx) => {
      const issues: { path: (string | number)[]; message: string }[] = [];
      checkTree(obj, [], 1, rules, issues);
      for (const i of issues) ctx.addIssue({ code: "custom", path: i.path, message: i.message });
      if (issues.length === 0) {
        const size = JSON.stringify(obj).length;
        if (size > rules.maxChars)
          ctx.addIssue({
            code: "custom",
            message: `${rules.what} must be at most ${n(rules.maxChars)} characters as JSON (got ${n(size)})`,
          });
      }
    });
}

/**
 * A character profile: a JSON object whose values are strings, lists or nested
 * objects (numbers and booleans are accepted too; `null` is not). Keys in any
 * language; key order is kept (it is the display order of non-well-known attributes).
 */
export const CharacterProfile = jsonObject<Profile>({
  allowNull: false,
  maxChars: IMPORT_LIMITS.maxProfileChars,
  what: "a profile",
});
/** A valid character profile. */
export type CharacterProfile = Profile;

/**
 * The profile of a character read from a character card: the same rules, with room for a
 * card's lorebook and extensions (real cards run to a few hundred kilobytes).
 */
export const CardProfile = jsonObject<Profile>({
  allowNull: false,
  maxChars: 500_000,
  what: "a character card's profile",
});

/** Free-form metadata: any JSON object, kept as sent. */
export const Metadata = jsonObject<JsonObject>({
  allowNull: true,
  maxChars: IMPORT_LIMITS.maxMetadataChars,
  what: "metadata",
});
/** Valid metadata. */
export type Metadata = JsonObject;

// ---------------------------------------------------------------------------
// Parts of a line

/** A character given inline: its name and free-form profile (created or matched by name). */
export const InlineCharacter = z.strictObject(
  {
    name: identifier(IMPORT_LIMITS.maxNameLength),
    profile: CharacterProfile,
  },
  { error: mustBe("an object") },
);
/** A parsed inline character. */
export type InlineCharacter = z.infer<typeof InlineCharacter>;

/**
 * `character`: an inline `{name, profile}` object, or the name (a string) of a
 * character already in the project.
 */
export const ImportCharacter = z.union([identifier(IMPORT_LIMITS.maxNameLength), InlineCharacter], {
  error: mustBe('a character name (string) or an object {"name", "profile"}'),
});
/** A parsed `character`: a name (string) or an inline character. */
export type ImportCharacter = z.infer<typeof ImportCharacter>;

/** One dialogue message. */
export const ImportMessage = z.strictObject(
  {
    role: z.enum(["user", "assistant"], {
      error: (iss) => (iss.input === undefined ? "is required" : 'must be "user" or "assistant"'),
    }),
    content: text(IMPORT_LIMITS.maxMessageLength),
  },
  { error: mustBe('an object {"role", "content"}') },
);
/** A parsed dialogue message. */
export type ImportMessage = z.infer<typeof ImportMessage>;

/** The dialogue so far; its last message is the user turn the candidates answer. */
export const ImportContext = z.array(ImportMessage, { error: mustBe("a list of messages") }).superRefine((msgs, ctx) => {
  if (msgs.length === 0) ctx.addIssue({ code: "custom", message: "must contain at least one message" });
  else if (msgs.length > IMPORT_LIMITS.maxMessages)
    ctx.addIssue({
      code: "custom",
      message: `must have at most ${IMPORT_LIMITS.maxMessages} messages (got ${n(msgs.length)})`,
    });
  const last = msgs[msgs.length - 1];
  if (last && last.role !== "user")
    ctx.addIssue({
      code: "custom",
      path: [msgs.length - 1, "role"],
      message: 'the dialogue must end with a "user" message (the turn the candidates answer)',
    });
});

const optionalNullable = <T extends z.ZodType>(schema: T) =>
  schema.nullish().transform((v): z.output<T> | undefined => (v === null ? undefined : (v as z.output<T> | undefined)));

/** One candidate reply and the model that produced it. */
export const ImportCandidate = z.strictObject(
  {
    model: identifier(IMPORT_LIMITS.maxNameLength),
    content: text(IMPORT_LIMITS.maxCandidateLength),
    version: optionalNullable(identifier(IMPORT_LIMITS.maxNameLength)),
    metadata: optionalNullable(Metadata),
  },
  { error: mustBe('an object {"model", "content"}') },
);
/** A parsed candidate. */
export type ImportCandidate = z.infer<typeof ImportCandidate>;

/**
 * The candidates: 0..`maxCandidates`. An item with fewer than `minCandidates` (or none:
 * the field may be omitted) is a prompt waiting for generation and makes no tasks until a
 * generation job fills it. Two candidates of one item may come from the
 * same model (e.g. two samples), but their texts must differ (compared after trimming
 * surrounding whitespace): identical replies can only be a tie and would make a DPO
 * pair whose chosen and rejected are the same, so they are almost always a pipeline bug.
 */
export const ImportCandidates = z.array(ImportCandidate, { error: mustBe("a list of candidates") }).superRefine((cands, ctx) => {
  if (cands.length > IMPORT_LIMITS.maxCandidates)
    ctx.addIssue({
      code: "custom",
      message: `must have at most ${IMPORT_LIMITS.maxCandidates} candidates (got ${cands.length})`,
    });
  const seen = new Map<string, number>();
  cands.forEach((c, j) => {
    const key = c.content.trim();
    const i = seen.get(key);
    if (i !== undefined)
      ctx.addIssue({
        code: "custom",
        path: [j, "content"],
        message: `is the same text as candidates[${i}].content; the candidates of an item must differ`,
      });
    else seen.set(key, j);
  });
});

/** A pairwise gold answer: the expected strength and every strength accepted as correct. */
export interface PairwiseGold {
  strength: number;
  /** Accepted strengths, ascending, distinct, including `strength`. */
  accept: number[];
}
/** A K-wise gold answer: `ranks[i]` is candidate i's rank, 1 = best (equal ranks are ties). */
export interface RankingGold {
  ranks: number[];
}
/** A gold answer of either form. */
export type Gold = PairwiseGold | RankingGold;

const intList = (what: string) =>
  z.array(z.number({ error: mustBe("an integer") }).int({ error: "must be an integer" }), {
    error: mustBe(what),
  });

/**
 * `gold`: either `{strength, accept?}` (pairwise items; `accept` defaults to
 * `[strength]`, is stored ascending and must include `strength`) or `{ranks}`
 * (K-wise: one rank per candidate, 1 = best). Strengths are checked here against the
 * widest scale (-3..3) and against the project's scale by {@link checkGoldAgainstScale}.
 */
export const ImportGold = z
  .strictObject(
    {
      strength: z
        .number({ error: mustBe("an integer") })
        .int({ error: "must be an integer" })
        .optional(),
      accept: intList("a list of integers").optional(),
      ranks: intList("a list of integers").optional(),
    },
    { error: mustBe('an object {"strength", "accept"} or {"ranks"}') },
  )
  .superRefine((g, ctx) => {
    const range = `between -${MAX_ABS_STRENGTH} and ${MAX_ABS_STRENGTH}`;
    if (g.ranks !== undefined) {
      if (g.strength !== undefined || g.accept !== undefined)
        ctx.addIssue({ code: "custom", message: 'give either "strength" (and "accept") or "ranks", not both' });
      if (g.ranks.length === 0) ctx.addIssue({ code: "custom", path: ["ranks"], message: "must not be empty" });
      g.ranks.forEach((r, i) => {
        if (r < 1) ctx.addIssue({ code: "custom", path: ["ranks", i], message: "must be 1 or more (1 = best)" });
      });
      if (g.ranks.length > 0 && !g.ranks.includes(1))
        ctx.addIssue({ code: "custom", path: ["ranks"], message: "must give rank 1 (best) to at least one candidate" });
      return;
    }
    if (g.strength === undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["strength"],
        message: g.accept !== undefined ? "is required with accept" : 'is required (or give "ranks")',
      });
      return;
    }
    if (Math.abs(g.strength) > MAX_ABS_STRENGTH)
      ctx.addIssue({ code: "custom", path: ["strength"], message: `must be ${range} (got ${g.strength})` });
    if (g.accept !== undefined) {
      if (g.accept.length === 0) ctx.addIssue({ code: "custom", path: ["accept"], message: "must not be empty" });
      const seen = new Set<number>();
      g.accept.forEach((a, i) => {
        if (Math.abs(a) > MAX_ABS_STRENGTH) ctx.addIssue({ code: "custom", path: ["accept", i], message: `must be ${range} (got ${a})` });
        if (seen.has(a)) ctx.addIssue({ code: "custom", path: ["accept", i], message: `repeats ${a}` });
        seen.add(a);
      });
      if (g.accept.length > 0 && !seen.has(g.strength))
        ctx.addIssue({ code: "custom", path: ["accept"], message: `must include the gold strength ${g.strength}` });
    }
  })
  .transform(
    (g): Gold =>
      g.ranks !== undefined
        ? { ranks: g.ranks }
        : { strength: g.strength as number, accept: [...(g.accept ?? [g.strength as number])].sort((a, b) => a - b) },
  );
/** A parsed `gold` (normalised: `accept` always present for pairwise gold). */
export type ImportGold = Gold;

/** Whether a gold answer is a ranking (K-wise) rather than a pairwise strength. */
export function isRankingGold(gold: Gold): gold is RankingGold {
  return "ranks" in gold;
}

// ---------------------------------------------------------------------------
// The line

/**
 * One JSONL import line. Unknown fields are refused (a misspelt field must not be
 * silently dropped). Optional fields may be omitted or `null`.
 */
export const ImportLine = z
  .strictObject(
    {
      external_id: identifier(IMPORT_LIMITS.maxExternalIdLength),
      character: ImportCharacter,
      scene: optionalNullable(text(IMPORT_LIMITS.maxSceneLength)),
      context: ImportContext,
      candidates: ImportCandidates.nullish().transform((c) => c ?? []),
      gold: optionalNullable(ImportGold),
      metadata: optionalNullable(Metadata),
    },
    { error: mustBe("a JSON object") },
  )
  .superRefine((line, ctx) => {
    const gold = line.gold;
    if (!gold) return;
    const k = line.candidates.length;
    if (isRankingGold(gold)) {
      if (gold.ranks.length !== k)
        ctx.addIssue({
          code: "custom",
          path: ["gold", "ranks"],
          message: `must give one rank per candidate (${k}), got ${gold.ranks.length}`,
        });
      gold.ranks.forEach((r, i) => {
        if (r > k) ctx.addIssue({ code: "custom", path: ["gold", "ranks", i], message: `must be at most ${k}` });
      });
    } else if (k !== 2) {
      ctx.addIssue({
        code: "custom",
        path: ["gold", "strength"],
        message: `a pairwise gold strength needs exactly 2 candidates (got ${k}); use "ranks" for K candidates`,
      });
    }
  });
/** A parsed, valid import line (identifiers trimmed, `null` optionals removed, gold normalised). */
export type ImportLine = z.infer<typeof ImportLine>;
/** What may be written in a file for one line (before parsing). */
export type ImportLineInput = z.input<typeof ImportLine>;

// ---------------------------------------------------------------------------
// Problems as {field, message}

/** One problem with a line: a field path such as `candidates[1].content`, and what is wrong. */
export interface FieldIssue {
  field: string;
  message: string;
}

/**
 * Formats a path as the user wrote it: `context[2].role`, `character.profile.性格`,
 * `metadata["a key"]`. The empty path is `(line)`.
 */
export function formatFieldPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const seg of path) {
    if (typeof seg === "number") out += `[${seg}]`;
    else {
      const s = String(seg);
      if (/^[\p{L}\p{N}_$]+$/u.test(s)) out += out === "" ? s : `.${s}`;
      else out += `[${JSON.stringify(s)}]`;
    }
  }
  return out === "" ? "(line)" : out;
}

type RawIssue = z.core.$ZodIssue;

function flatten(issue: RawIssue, prefix: readonly PropertyKey[], out: FieldIssue[]): void {
  const path = [...prefix, ...issue.path];
  if (issue.code === "invalid_union") {
    // Prefer the branch whose type matched (its problems are the real ones); if no
    // branch matched the type, report the union's own message.
    const branches = issue.errors.filter((errs) => !(errs.length === 1 && errs[0]?.code === "invalid_type" && errs[0].path.length === 0));
    if (branches.length === 1 && branches[0]) {
      for (const e of branches[0]) flatten(e, path, out);
      return;
    }
    out.push({ field: formatFieldPath(path), message: issue.message });
    return;
  }
  if (issue.code === "unrecognized_keys") {
    for (const key of issue.keys) out.push({ field: formatFieldPath([...path, key]), message: "unknown field" });
    return;
  }
  out.push({ field: formatFieldPath(path), message: issue.message });
}

/** Turns a zod error into `{field, message}` problems, one per issue, in document order. */
export function fieldIssues(error: z.ZodError): FieldIssue[] {
  const out: FieldIssue[] = [];
  for (const issue of error.issues) flatten(issue, [], out);
  return out;
}

/** Validates one decoded JSON value as an import line. */
export function validateImportLine(value: unknown): { ok: true; value: ImportLine } | { ok: false; issues: FieldIssue[] } {
  const r = ImportLine.safeParse(value);
  return r.success ? { ok: true, value: r.data } : { ok: false, issues: fieldIssues(r.error) };
}

// ---------------------------------------------------------------------------
// Checks against the project

/**
 * Checks a (schema-valid) gold answer against the project's scale: every strength
 * must be legal on `points` (no 0 on the 2-point scale), and a ranking may contain ties
 * only if `allowTies` (default true). Returns `[]` when the gold fits.
 */
export function checkGoldAgainstScale(gold: Gold, points: ScalePoints, opts: { allowTies?: boolean } = {}): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const legal = `allowed on the ${points}-point scale: ${scaleValues(points).join(", ")}`;
  if (isRankingGold(gold)) {
    const ranks: Ranks = gold.ranks;
    if (opts.allowTies === false && new Set(ranks).size !== ranks.length)
      issues.push({ field: "gold.ranks", message: "has tied ranks, but this project does not allow ties" });
    return issues;
  }
  if (!isValidStrength(gold.strength, points))
    issues.push({ field: "gold.strength", message: `${gold.strength} is not on the scale (${legal})` });
  for (const a of gold.accept) {
    if (!isValidStrength(a, points)) issues.push({ field: "gold.accept", message: `${a} is not on the scale (${legal})` });
  }
  return issues;
}

/** The character name of a line, whether given inline or by reference. */
export function characterName(character: ImportCharacter): string {
  return typeof character === "string" ? character : character.name;
}
