/**
 * Conversion of CharacterEval (Tu et al., ACL 2024; github.com/morecry/CharacterEval)
 * to Arbiter import lines. Pure: the CLI `scripts/convert-charactereval.ts` reads the
 * files and writes the output.
 *
 * CharacterEval's published data:
 * - `character_profiles.json`: `{role: profile}`, profile values strings, lists or
 *   nested objects with Chinese keys;
 * - `test_data.jsonl` (one JSON array despite its name) of
 *   `{id, role, novel_name, context}` where `context` is `说话人：内容` lines joined by
 *   `\n`, the last line spoken by someone other than `role`; the task is `role`'s next
 *   utterance. (The derived `demo_slice.jsonl` is real JSONL, with `profile` and
 *   `metrics` joined in.)
 * - `id2metric.jsonl` (one JSON object): `{"<id>": [[metric_en, metric_zh], …]}`.
 *
 * It has no candidate replies: those come from candidate files, one per model, keyed
 * by the dialogue id. Optionally the character's own last line in the context is held
 * out as a reference reply (see {@link ConvertOptions.referenceModel}).
 *
 * Mapping of one dialogue:
 * - `external_id` = `idPrefix + id`; `character` = `{name: role, profile}` (profile verbatim);
 * - `context`: lines by `role` become `assistant` messages (the `role：` prefix removed);
 *   every other line becomes a `user` message keeping its `说话人：` prefix (several people
 *   may speak); consecutive lines on the same side are merged with `\n`;
 * - `candidates`: the candidate files in the order given, then the reference, with a
 *   leading `role：` removed from replies (models prompted the upstream way often echo it);
 * - `metadata`: `{source, charactereval_id, novel_name, metrics, dimensions, reference_held_out}`.
 */
import { IMPORT_LIMITS, fieldIssues, ImportLine, type ImportMessage, type Profile } from "@/lib/validation/import";
import { dimensionForCharacterEvalMetric, type DimensionKey } from "@/lib/domain/dimensions";

/** One CharacterEval dialogue, as in `test_data.jsonl` (or `demo_slice.jsonl`, which adds `profile` and `metrics`). */
export interface CharacterEvalExample {
  id: number | string;
  role: string;
  novel_name?: string;
  context: string;
  profile?: Profile;
  metrics?: string[];
  metrics_zh?: string[];
}

/** One line of a CharacterEval context: who speaks and what (speaker null for a line without `说话人：`). */
export interface DialogueTurn {
  speaker: string | null;
  /** What is said, after the speaker's colon (spaces after an ASCII `:` removed). */
  text: string;
  /** The whole line as written. */
  line: string;
}

/** Longest speaker name accepted before the colon; a longer prefix is content, not a name. */
const MAX_SPEAKER_LENGTH = 30;

/**
 * Splits a CharacterEval context into turns. The speaker is what precedes the first
 * full-width colon `：` (or, failing that, an ASCII `:`), if it is a short name; blank
 * lines are dropped; text is kept exactly (stage directions in `（…）` included).
 */
export function parseContext(context: string): DialogueTurn[] {
  const turns: DialogueTurn[] = [];
  for (const raw of context.split("\n")) {
    const line = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
    if (line.trim() === "") continue;
    let idx = line.indexOf("：");
    let ascii = false;
    if (idx <= 0 || idx > MAX_SPEAKER_LENGTH) {
      idx = line.indexOf(":");
      ascii = true;
    }
    if (idx > 0 && idx <= MAX_SPEAKER_LENGTH && line.slice(0, idx).trim() !== "") {
      const text = line.slice(idx + 1);
      turns.push({ speaker: line.slice(0, idx).trim(), text: ascii ? text.trimStart() : text, line });
    } else {
      turns.push({ speaker: null, text: line, line });
    }
  }
  return turns;
}

/**
 * Turns dialogue turns into import messages from `role`'s point of view: `role`'s
 * lines are `assistant` (the text after `role：`), others' are `user` (the line as
 * written, `说话人：…` included, since several people may speak); consecutive messages on
 * one side are merged with `\n`. Turns with blank text are dropped.
 */
export function turnsToMessages(turns: readonly DialogueTurn[], role: string): ImportMessage[] {
  const out: ImportMessage[] = [];
  for (const t of turns) {
    if (t.text.trim() === "") continue;
    const mine = t.speaker === role;
    const msg: ImportMessage = mine ? { role: "assistant", content: t.text } : { role: "user", content: t.line };
    const last = out[out.length - 1];
    if (last && last.role === msg.role) last.content = `${last.content}\n${msg.content}`;
    else out.push(msg);
  }
  return out;
}

/** Removes a leading `role：` / `role:` (and the spaces after it) from a reply. */
export function stripSpeakerPrefix(reply: string, role: string): string {
  for (const colon of ["：", ":"]) {
    const prefix = `${role}${colon}`;
    const trimmed = reply.trimStart();
    if (trimmed.startsWith(prefix)) return trimmed.slice(prefix.length).trimStart();
  }
  return reply;
}

/**
 * Splits off the reference reply: the last run of `role`'s lines that follows another
 * speaker's line. Returns the turns before it and the reference text (lines joined
 * with `\n`), or null when `role` never answers anyone in the context.
 */
export function holdOutReference(turns: readonly DialogueTurn[], role: string): { context: DialogueTurn[]; reference: string } | null {
  let end = turns.length;
  // Trailing turns by others come after the reference: they are dropped with it.
  while (end > 0 && turns[end - 1]?.speaker !== role) end--;
  while (end > 0) {
    let start = end;
    while (start > 0 && turns[start - 1]?.speaker === role) start--;
    if (start > 0) {
      const reference = turns
        .slice(start, end)
        .map((t) => t.text)
        .filter((t) => t.trim() !== "")
        .join("\n");
      if (reference.trim() !== "") return { context: turns.slice(0, start), reference };
    }
    end = start;
    while (end > 0 && turns[end - 1]?.speaker !== role) end--;
  }
  return null;
}

/** Candidate replies of one model, keyed by dialogue id (as a string). */
export interface CandidateSource {
  model: string;
  version?: string;
  replies: ReadonlyMap<string, string>;
}

/** Options of {@link convertExample}. */
export interface ConvertOptions {
  /** `character_profiles.json`: role name → profile (an example's own `profile` wins). */
  profiles?: Readonly<Record<string, Profile>>;
  /** Candidate files, in the order their replies should appear. */
  candidates: readonly CandidateSource[];
  /**
   * When set, the role's last reply in the context is held out and added as a candidate
   * of this model; the item's context then ends just before it, so the other candidates
   * must answer that shorter context (see {@link holdOutReference}).
   */
  referenceModel?: string;
  /** Prefix of `external_id` (default `"ce-"`). */
  idPrefix?: string;
  /** `id2metric.jsonl`: id → metric names (an example's own `metrics` win). */
  metrics?: ReadonlyMap<string, readonly string[]>;
  /** Keep a leading `role：` in candidate replies (default: remove it). */
  keepSpeakerPrefix?: boolean;
}

/** The outcome for one dialogue. */
export type ConvertResult =
  | { ok: true; id: string; role: string; line: ImportLine }
  | { ok: false; id: string; role: string; reason: string };

/** Upstream marks a failed generation with this text; such replies count as missing. */
const UPSTREAM_ERROR_MARK = "ERROR";

/** Normalises a dialogue id (number or string) to the key used everywhere. */
export function dialogueKey(id: unknown): string | null {
  if (typeof id === "number" && Number.isFinite(id)) return String(id);
  if (typeof id === "string" && id.trim() !== "") return id.trim();
  return null;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/**
 * Checks that a decoded value is a CharacterEval example (`id`, `role`, `context`
 * required), returning it typed, or a reason.
 */
export function asExample(value: unknown): { ok: true; example: CharacterEvalExample } | { ok: false; reason: string } {
  if (!isRecord(value)) return { ok: false, reason: "is not an object" };
  if (dialogueKey(value.id) === null) return { ok: false, reason: '"id" must be a number or a non-empty string' };
  if (typeof value.role !== "string" || value.role.trim() === "") return { ok: false, reason: '"role" must be a non-empty string' };
  if (typeof value.context !== "string") return { ok: false, reason: '"context" must be a string' };
  if (value.novel_name !== undefined && typeof value.novel_name !== "string") return { ok: false, reason: '"novel_name" must be a string' };
  if (value.profile !== undefined && !isRecord(value.profile)) return { ok: false, reason: '"profile" must be an object' };
  if (value.metrics !== undefined && !(Array.isArray(value.metrics) && value.metrics.every((m) => typeof m === "string")))
    return { ok: false, reason: '"metrics" must be a list of strings' };
  return { ok: true, example: value as unknown as CharacterEvalExample };
}

/** Converts one dialogue to an import line (validated with {@link ImportLine}), or says why not. */
export function convertExample(example: CharacterEvalExample, opts: ConvertOptions): ConvertResult {
  const id = dialogueKey(example.id) ?? String(example.id);
  const role = example.role.trim();
  const fail = (reason: string): ConvertResult => ({ ok: false, id, role, reason });

  const profile = example.profile ?? opts.profiles?.[role];
  if (profile === undefined) return fail(`no profile for the role "${role}"`);

  let turns = parseContext(example.context);
  let reference: string | null = null;
  if (opts.referenceModel !== undefined) {
    const held = holdOutReference(turns, role);
    if (held) {
      turns = held.context;
      reference = held.reference;
    }
  }
  const context = turnsToMessages(turns, role);
  if (context.length === 0) return fail("the context is empty");
  if (context[context.length - 1]?.role !== "user")
    return fail(`the context ends with a line by "${role}" (there is nothing for the candidates to answer)`);

  const candidates: { model: string; content: string; version?: string; metadata?: Record<string, string | boolean> }[] = [];
  const missing: string[] = [];
  const clean = (reply: string) => (opts.keepSpeakerPrefix ? reply : stripSpeakerPrefix(reply, role));
  for (const src of opts.candidates) {
    const reply = src.replies.get(id);
    if (reply === undefined) {
      missing.push(`${src.model}: no reply`);
      continue;
    }
    const content = clean(reply);
    if (content.trim() === "" || reply.trim() === UPSTREAM_ERROR_MARK) {
      missing.push(`${src.model}: empty or failed reply`);
      continue;
    }
    candidates.push({ model: src.model, content, ...(src.version !== undefined ? { version: src.version } : {}) });
  }
  if (opts.referenceModel !== undefined) {
    if (reference !== null) candidates.push({ model: opts.referenceModel, content: reference, metadata: { reference: true } });
    else missing.push(`${opts.referenceModel}: "${role}" never answers anyone in the context, no reference to hold out`);
  }

  // Identical replies cannot be compared: keep the first of each text.
  const seen = new Map<string, string>();
  const distinct = candidates.filter((c) => {
    const k = c.content.trim();
    const first = seen.get(k);
    if (first !== undefined) {
      missing.push(`${c.model}: same reply as ${first}`);
      return false;
    }
    seen.set(k, c.model);
    return true;
  });
  if (distinct.length < IMPORT_LIMITS.minCandidates) {
    const have = distinct.map((c) => c.model).join(", ") || "none";
    return fail(
      `only ${distinct.length} usable candidate(s) (${have}); at least ${IMPORT_LIMITS.minCandidates} are needed` +
        (missing.length > 0 ? ` [${missing.join("; ")}]` : ""),
    );
  }
  if (distinct.length > IMPORT_LIMITS.maxCandidates)
    return fail(`${distinct.length} candidates; at most ${IMPORT_LIMITS.maxCandidates} are allowed`);

  const metrics = example.metrics ?? opts.metrics?.get(id) ?? [];
  const dimensions = [...new Set(metrics.map(dimensionForCharacterEvalMetric).filter((d): d is DimensionKey => d !== undefined))];
  const metadata: Record<string, unknown> = {
    source: "CharacterEval",
    charactereval_id: typeof example.id === "number" ? example.id : id,
    ...(example.novel_name !== undefined ? { novel_name: example.novel_name } : {}),
    ...(metrics.length > 0 ? { metrics: [...metrics], dimensions } : {}),
    ...(opts.referenceModel !== undefined ? { reference_held_out: reference !== null } : {}),
  };

  const r = ImportLine.safeParse({
    external_id: `${opts.idPrefix ?? "ce-"}${id}`,
    character: { name: role, profile },
    context,
    candidates: distinct,
    metadata,
  });
  if (!r.success)
    return fail(
      `the converted line is invalid: ${fieldIssues(r.error)
        .map((i) => `${i.field} ${i.message}`)
        .join("; ")}`,
    );
  return { ok: true, id, role, line: r.data };
}

/** Converts every example in order; values that are not examples are reported, not thrown. */
export function* convertExamples(examples: Iterable<unknown>, opts: ConvertOptions): Generator<ConvertResult> {
  let index = 0;
  for (const value of examples) {
    index += 1;
    const e = asExample(value);
    if (!e.ok) {
      const rec = isRecord(value) ? value : {};
      yield {
        ok: false,
        id: dialogueKey(rec.id) ?? `#${index}`,
        role: typeof rec.role === "string" ? rec.role : "",
        reason: `example ${index} ${e.reason}`,
      };
      continue;
    }
    yield convertExample(e.example, opts);
  }
}

// ---------------------------------------------------------------------------
// Reading the files' contents (the CLI reads the bytes)

/** A decoded record with its position (1-based line for JSONL, 1-based element for a JSON array). */
export interface JsonRecord {
  position: number;
  value: unknown;
}

/**
 * Decodes a CharacterEval-style data file: a JSON array (`test_data.jsonl`, upstream
 * generation files) or real JSON-Lines (`demo_slice.jsonl`, candidate files). Throws
 * an Error naming the line on invalid JSON.
 */
export function decodeJsonOrJsonl(text: string, what = "file"): JsonRecord[] {
  const body = text.startsWith("\uFEFF") ? text.slice(1) : text;
  const start = body.trimStart();
  if (start.startsWith("[")) {
    let arr: unknown;
    try {
      arr = JSON.parse(body);
    } catch (err) {
      throw new Error(`${what} is not valid JSON: ${(err as Error).message}`);
    }
    if (!Array.isArray(arr)) throw new Error(`${what} is not a JSON array`);
    return arr.map((value, i) => ({ position: i + 1, value }));
  }
  const out: JsonRecord[] = [];
  const lines = body.split("\n");
  lines.forEach((raw, i) => {
    const line = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
    if (line.trim() === "") return;
    try {
      out.push({ position: i + 1, value: JSON.parse(line) });
    } catch (err) {
      throw new Error(`${what}, line ${i + 1}: not valid JSON: ${(err as Error).message}`);
    }
  });
  return out;
}

/** Fields a candidate record's reply may be in, in order of preference. */
export const CANDIDATE_REPLY_FIELDS = ["response", "model_output", "content", "reply", "output"] as const;

/**
 * Builds one model's replies from candidate-file records `{"id": …, "response": "…"}`
 * (the reply may also be under `model_output` — upstream's generation files —,
 * `content`, `reply` or `output`). A record repeated with the same reply is fine (upstream's
 * `generation_trans` repeats each per metric); one id with two different replies, a
 * missing id or a missing reply is a problem. Returns the replies and the problems.
 */
export function readCandidateRecords(records: Iterable<JsonRecord>): { replies: Map<string, string>; problems: string[] } {
  const replies = new Map<string, string>();
  const problems: string[] = [];
  for (const { position, value } of records) {
    if (!isRecord(value)) {
      problems.push(`record ${position}: not an object`);
      continue;
    }
    const id = dialogueKey(value.id);
    if (id === null) {
      problems.push(`record ${position}: "id" must be a number or a non-empty string`);
      continue;
    }
    const field = CANDIDATE_REPLY_FIELDS.find((f) => value[f] !== undefined);
    const reply = field === undefined ? undefined : value[field];
    if (typeof reply !== "string") {
      problems.push(`record ${position} (id ${id}): needs the reply as a string in one of ${CANDIDATE_REPLY_FIELDS.join(", ")}`);
      continue;
    }
    const prev = replies.get(id);
    if (prev !== undefined && prev !== reply) {
      problems.push(`record ${position}: id ${id} already has a different reply`);
      continue;
    }
    replies.set(id, reply);
  }
  return { replies, problems };
}

/** Reads `id2metric.jsonl` (`{"<id>": [[metric_en, metric_zh], …]}`) into id → English metric names. */
export function readId2Metric(value: unknown): Map<string, string[]> {
  if (!isRecord(value)) throw new Error("id2metric must be a JSON object {id: [[metric_en, metric_zh], ...]}");
  const out = new Map<string, string[]>();
  for (const [id, pairs] of Object.entries(value)) {
    if (!Array.isArray(pairs)) throw new Error(`id2metric["${id}"] must be a list`);
    out.set(
      id.trim(),
      pairs.map((p, i) => {
        const name = Array.isArray(p) ? p[0] : p;
        if (typeof name !== "string") throw new Error(`id2metric["${id}"][${i}] must be [metric_en, metric_zh]`);
        return name;
      }),
    );
  }
  return out;
}

/** Reads `character_profiles.json` (`{role: profile}`). */
export function readProfiles(value: unknown): Record<string, Profile> {
  if (!isRecord(value)) throw new Error("the profiles file must be a JSON object {role: profile}");
  for (const [role, profile] of Object.entries(value)) {
    if (!isRecord(profile)) throw new Error(`the profile of "${role}" must be an object`);
  }
  return value as Record<string, Profile>;
}
