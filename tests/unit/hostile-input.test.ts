/**
 * Hostile input at every zod boundary, property-based: random and
 * adversarial values — huge strings, deep JSON, wrong types, control characters, lone
 * UTF-16 surrogates, NUL, SQL and HTML payloads, prototype keys — into each boundary
 * the way its callers reach it (parseInput for services, parsePolicyOptions for export
 * options, validateImportLine for import lines, the sign-in schema). Each input is
 * either refused with a VALIDATION error whose message names a field, or accepted with
 * an output PostgreSQL can store exactly (no NUL, no lone surrogate, bounded depth);
 * nothing else may be thrown. The inputs tried per boundary are counted and printed
 * (and written to .data/hostile-input-counts.json) at the end.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import fc from "fast-check";
import type { z } from "zod";
import { afterAll, describe, expect, it } from "vitest";
import { SignInInput } from "@/lib/auth/sign-in";
import { AppError } from "@/lib/errors";
import { AuditListInput } from "@/lib/services/audit-log";
import { CharacterListInput } from "@/lib/services/characters";
import { CharacterFormInput, CharacterInput, UpdateCharacterInput } from "@/lib/validation/characters";
import { ExportKindParam, ExportSplitParam, parsePolicyOptions, policyFromOptions } from "@/lib/validation/export";
import { validateImportLine } from "@/lib/validation/import";
import { ImportRequest, ItemDetailInput, ItemListInput } from "@/lib/validation/items";
import { EditJudgmentInput, HistoryInput, IdParam, LeaseInput, SkipInput, SubmitJudgmentInput } from "@/lib/validation/judgment";
import { parseInput } from "@/lib/validation/parse";
import { ProjectSettings } from "@/lib/validation/project-settings";
import { CreateProjectInput, SetProjectStatusInput, UpdateMembersInput, UpdateProjectInput } from "@/lib/validation/projects";
import {
  AdjudicateTaskInput,
  AnnotatorListInput,
  AnnotatorWorkInput,
  GoldListInput,
  JudgmentVerdictInput,
  RejectJudgmentInput,
  RetireGoldInput,
  ReviewQueueInput,
  SetAnnotatorExcludedInput,
  SetAnnotatorStatusInput,
  SetGoldInput,
  TaskReviewInput,
} from "@/lib/validation/review";
import { StatsInput } from "@/lib/validation/stats";
import { MAX_INPUT_DEPTH, storableProblems } from "@/lib/validation/storable";
import { CreateApiTokenInput, RevokeApiTokenInput } from "@/lib/validation/tokens";
import { ChangeUserRoleInput, CreateUserInput, SetLocaleInput, SetUserActiveInput, UserListInput } from "@/lib/validation/users";
import { HOSTILE_STRINGS, hostileString, hostileValue, deepJson } from "./hostile-arbitraries";

const counts: Record<string, number> = {};
const count = (boundary: string) => (counts[boundary] = (counts[boundary] ?? 0) + 1);

afterAll(() => {
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  const lines = Object.entries(counts).map(([k, v]) => `  ${k.padEnd(34)} ${v}`);
  console.log(`[hostile-input] inputs tried per boundary (total ${total}):\n${lines.join("\n")}`);
  const out = path.resolve(".data", "hostile-input-counts.json");
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(out, JSON.stringify({ total, counts }, null, 2));
});

/** Refused with a clear VALIDATION error naming a field, or accepted as storable output. */
function judge(run: () => unknown): { ok: true; value: unknown } | { ok: false; error: AppError } {
  let value: unknown;
  try {
    value = run();
  } catch (error) {
    if (!(error instanceof AppError)) throw error; // a TypeError or RangeError here would be a 500
    expect(error.code).toBe("VALIDATION");
    const fields = Object.keys(error.fields ?? {});
    expect(fields.length).toBeGreaterThan(0);
    expect(error.message.startsWith(`${fields[0]}: `)).toBe(true);
    return { ok: false, error };
  }
  expect(storableProblems(value)).toEqual([]);
  return { ok: true, value };
}

/** A copy of `sample` with `key` set to `value` (an own property even for "__proto__"). */
function withField(sample: Record<string, unknown>, key: string, value: unknown): Record<string, unknown> {
  const copy: Record<string, unknown> = { ...sample };
  Object.defineProperty(copy, key, { value, enumerable: true, writable: true, configurable: true });
  return copy;
}

/** Inputs for a boundary whose valid shape is `sample`: one field made hostile, or the whole input. */
function inputsFor(sample: Record<string, unknown>) {
  const keys = [...Object.keys(sample), "unexpected_field", "__proto__", "constructor"];
  return fc.oneof(
    { weight: 6, arbitrary: fc.tuple(fc.constantFrom(...keys), hostileValue).map(([k, v]) => withField(sample, k, v)) },
    {
      weight: 2,
      arbitrary: fc.tuple(fc.constantFrom(...keys), fc.constantFrom(...HOSTILE_STRINGS)).map(([k, v]) => withField(sample, k, v)),
    },
    { weight: 1, arbitrary: hostileValue },
  );
}

const RUNS = 400;

type Boundary = { schema: z.ZodType; sample: Record<string, unknown>; exact?: string[] };

/** Every schema a service verb parses with parseInput, with a valid sample of its input. */
const BOUNDARIES: Record<string, Boundary> = {
  // The annotation API's bodies.
  "judgment.submit": {
    schema: SubmitJudgmentInput,
    sample: { strength: -2, rationale: "left is better", seconds: 12 },
    exact: ["rationale"],
  },
  "judgment.edit": { schema: EditJudgmentInput, sample: { ranking: [1, 2, 3], ratings: { "0": { fluency: 3 } } }, exact: ["rationale"] },
  "judgment.skip": { schema: SkipInput, sample: { reason: "other", note: "broken" } },
  "task.lease": { schema: LeaseInput, sample: { projectSlug: "demo", exclude: [1, 2], todaySince: "2026-01-01T00:00:00Z" } },
  "history.list": { schema: HistoryInput, sample: { projectSlug: "demo", limit: "20" } },
  "id.param": { schema: IdParam.transform((n) => n), sample: {} },
  // Projects and their settings.
  "project.settings": {
    schema: ProjectSettings,
    sample: { mode: "pairwise", scalePoints: 5, overlap: 3, dimensions: ["fluency"], pairing: "baseline", baselineModel: "gpt" },
  },
  "project.create": {
    schema: CreateProjectInput,
    sample: { slug: "new-project", name: "New", description: "d", guidelines: "# Rules" },
    exact: ["guidelines"],
  },
  "project.update": {
    schema: UpdateProjectInput,
    sample: { slug: "new-project", name: "New", guidelines: "g", settings: {} },
    exact: ["guidelines"],
  },
  "project.status": { schema: SetProjectStatusInput, sample: { slug: "demo", status: "paused" } },
  "project.members": { schema: UpdateMembersInput, sample: { slug: "demo", add: ["a@example.test"], remove: [] } },
  // Users and tokens.
  "user.create": {
    schema: CreateUserInput,
    sample: { email: "new@example.test", name: "New", role: "annotator", password: "long-enough-pass" },
  },
  "user.active": { schema: SetUserActiveInput, sample: { userId: 3, active: false } },
  "user.role": { schema: ChangeUserRoleInput, sample: { userId: 3, role: "lead" } },
  "user.locale": { schema: SetLocaleInput, sample: { locale: "zh-CN" } },
  "user.list": { schema: UserListInput, sample: { search: "ann", role: "annotator", page: "1" } },
  "token.create": { schema: CreateApiTokenInput, sample: { name: "ci", scopes: ["export"], projectSlug: "demo", expiresInDays: "30" } },
  "token.revoke": { schema: RevokeApiTokenInput, sample: { tokenId: "7" } },
  // Review, gold, annotators.
  "review.queue": { schema: ReviewQueueInput, sample: { projectSlug: "demo", character: "x", contestedOnly: "1" } },
  "review.task": { schema: TaskReviewInput, sample: { taskId: 4 } },
  "review.accept": { schema: JudgmentVerdictInput, sample: { judgmentId: 4, note: "ok" } },
  "review.reject": { schema: RejectJudgmentInput, sample: { judgmentId: 4, note: "spam" } },
  "review.adjudicate": { schema: AdjudicateTaskInput, sample: { taskId: 4, strength: "2", note: "final" } },
  "gold.set": { schema: SetGoldInput, sample: { taskId: 4, strength: 2, accept: [1, 2] } },
  "gold.retire": { schema: RetireGoldInput, sample: { taskId: 4 } },
  "gold.list": { schema: GoldListInput, sample: { projectSlug: "demo" } },
  "annotators.list": { schema: AnnotatorListInput, sample: { projectSlug: "demo" } },
  "annotators.work": { schema: AnnotatorWorkInput, sample: { projectSlug: "demo", userId: 2 } },
  "annotators.status": { schema: SetAnnotatorStatusInput, sample: { projectSlug: "demo", userId: 2, status: "paused" } },
  "annotators.exclude": { schema: SetAnnotatorExcludedInput, sample: { projectSlug: "demo", userId: 2, excluded: true } },
  // Characters, items, statistics, audit log.
  "character.save": { schema: CharacterInput, sample: { name: "孙悟空", profile: { 性别: "男", tags: ["猴"] } } },
  "character.update": { schema: UpdateCharacterInput, sample: { id: 1, character: { name: "A", profile: {} } } },
  "character.form": { schema: CharacterFormInput, sample: { name: "A", profileJson: "{}" } },
  "character.list": { schema: CharacterListInput, sample: {} },
  "items.list": { schema: ItemListInput, sample: { projectSlug: "demo" } },
  "items.detail": { schema: ItemDetailInput, sample: { projectSlug: "demo", itemId: 1 } },
  "import.request": { schema: ImportRequest, sample: { projectSlug: "demo", format: "jsonl" } },
  "stats.filters": { schema: StatsInput, sample: { projectSlug: "demo", from: "2026-01-01", character: "x" } },
  "audit.list": { schema: AuditListInput, sample: {} },
  // Path and query parameters of the export routes.
  "export.kind": { schema: ExportKindParam.transform((k) => k), sample: {} },
  "export.split": { schema: ExportSplitParam.transform((k) => k), sample: {} },
};

describe("every parseInput boundary refuses by field or accepts storable output", () => {
  for (const [name, { schema, sample, exact }] of Object.entries(BOUNDARIES)) {
    it(name, () => {
      fc.assert(
        fc.property(inputsFor(sample), (input) => {
          count(name);
          const result = judge(() => parseInput(schema, input));
          if (result.ok && exact && typeof input === "object" && input !== null) {
            // Free text is kept exactly as sent (never trimmed, never re-encoded).
            for (const field of exact) {
              const sent = (input as Record<string, unknown>)[field];
              if (typeof sent === "string") expect((result.value as Record<string, unknown>)[field]).toBe(sent);
            }
          }
        }),
        { numRuns: RUNS },
      );
    });
  }
});

describe("export options (API query / POST body policy)", () => {
  const optionSample = { format: "chatml", "min-judgments": "2", "min-agreement": "0.5", seed: "s", "default-language": "zh" };
  it("export.policy (query options)", () => {
    fc.assert(
      fc.property(
        fc
          .tuple(fc.constantFrom(...Object.keys(optionSample), "unknown-option"), hostileString)
          .map(([k, v]) => ({ ...optionSample, [k]: v })),
        (options) => {
          count("export.policy.query");
          judge(() => policyFromOptions(options));
        },
      ),
      { numRuns: RUNS },
    );
  });
  it("export.policy (body)", () => {
    fc.assert(
      fc.property(inputsFor({ minJudgments: 2, minAgreement: 0.5, salt: "s", defaultLanguage: "en" }), (policy) => {
        count("export.policy.body");
        judge(() => parsePolicyOptions(policy));
      }),
      { numRuns: RUNS },
    );
  });
});

describe("import lines", () => {
  const line = {
    external_id: "item-1",
    character: { name: "孙悟空", profile: { 性别: "男" } },
    scene: "花果山",
    context: [{ role: "user", content: "你好" }],
    candidates: [
      { model: "a", content: "俺老孙来也" },
      { model: "b", content: "<b>hi</b>" },
    ],
    metadata: { source: "test" },
  };
  const hostileLine = fc.oneof(
    inputsFor(line),
    // Hostile text where free text is kept exactly: the candidates' and context's contents.
    fc.tuple(hostileString, hostileString).map(([a, b]) => ({
      ...line,
      context: [{ role: "user", content: a }],
      candidates: [line.candidates[0], { model: "b", content: b }],
    })),
    fc.tuple(hostileString, hostileValue).map(([k, v]) => ({ ...line, metadata: { [k]: v } })),
  );
  it("are refused with a problem per field, or kept exactly and storable", () => {
    fc.assert(
      fc.property(hostileLine, (input) => {
        count("import.line");
        const result = validateImportLine(input);
        if (!result.ok) {
          expect(result.issues.length).toBeGreaterThan(0);
          for (const issue of result.issues) {
            expect(issue.field.length).toBeGreaterThan(0);
            expect(issue.message.length).toBeGreaterThan(0);
          }
          return;
        }
        expect(storableProblems(result.value)).toEqual([]);
        const sent = input as Omit<typeof line, "candidates"> & { candidates?: typeof line.candidates };
        // Candidates may be left out (prompts that wait for generation); given ones are kept exactly.
        (sent.candidates ?? []).forEach((c, i) => expect(result.value.candidates[i]!.content).toBe(c.content));
        expect(result.value.context[0]!.content).toBe(sent.context[0]!.content);
      }),
      { numRuns: RUNS * 2 },
    );
  });
});

describe("sign-in credentials", () => {
  it("never throw: a bad email or password is just a refused sign-in", () => {
    fc.assert(
      fc.property(inputsFor({ email: "a@example.test", password: "pw" }), (input) => {
        count("auth.sign-in");
        const ok = storableProblems(input).length === 0 ? SignInInput.safeParse(input).success : false;
        if (ok) expect(storableProblems(SignInInput.parse(input))).toEqual([]);
      }),
      { numRuns: RUNS },
    );
  });
});

describe("the storable check itself", () => {
  it("names the path of a NUL, a lone surrogate, a bad key and over-deep nesting", () => {
    expect(storableProblems({ a: [0, "x\u0000"] })).toEqual([{ path: ["a", 1], message: expect.stringContaining("NUL") }]);
    expect(storableProblems({ note: "\ud800" })[0]!.path).toEqual(["note"]);
    expect(storableProblems({ note: "\udc00x" })[0]!.message).toContain("surrogate");
    expect(storableProblems({ "k\u0000": 1 })[0]!.message).toMatch(/^key /);
    expect(storableProblems({ ok: "😀 \u0007\u001b[31m <script>" })).toEqual([]);
    expect(storableProblems(deepJson(MAX_INPUT_DEPTH))).toEqual([]);
    expect(storableProblems(deepJson(MAX_INPUT_DEPTH + 1))[0]!.message).toContain("nested deeper");
    // Iterative: a million levels cost no stack.
    expect(storableProblems(deepJson(1_000_000))).toHaveLength(1);
  });

  it("a refusal by parseInput names the field", () => {
    try {
      parseInput(SubmitJudgmentInput, { strength: 1, rationale: "a\u0000b" });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(AppError);
      expect((error as AppError).message).toBe("rationale: contains a NUL character (U+0000), which cannot be stored");
      expect((error as AppError).fields).toEqual({ rationale: ["contains a NUL character (U+0000), which cannot be stored"] });
    }
  });
});
