/**
 * PandaLM's human-annotated test set (WeOpenML/PandaLM `data/testset-v1.json`; see
 * `shared/data/pandalm_testset/README.md`) → raw-judgment lines.
 *
 * A record is `{idx, motivation_app, cmp_key, instruction, input, response1, response2,
 * annotator1, annotator2, annotator3}` with labels 0 = tie, 1 = response1 better,
 * 2 = response2 better, and `cmp_key` = `<model of response1>_<model of response2>`.
 *
 * Mapping (one line per record and labelled annotator):
 * - task and item id: `<prefix><idx>`; candidates `<prefix><idx>/1`, `<prefix><idx>/2`
 *   in canonical order (response1 = A, response2 = B);
 * - annotator: `<prefix>annotatorN` — the file's annotator columns are taken to be the
 *   same three people on every record, as the paper describes (three annotators labelled
 *   the whole set);
 * - 3-point scale: label 1 → −1 (A better), 0 → 0 (tie), 2 → +1 (B better);
 * - models from `cmp_key`; `candidate_lengths` from the two responses (code points);
 * - a response stored as a JSON boolean or number (a few in the released file) counts as
 *   its JSON text for the length;
 * - no display order (the dataset does not record what was shown where), no gold, no
 *   times; state `valid`. A null label means the annotator did not label the record:
 *   no line is written for it.
 */
import { z } from "zod";
import { fieldIssues, type FieldIssue } from "@/lib/validation/import";
import type { RawJudgmentInput } from "@/lib/validation/raw-judgment";
import { textLength } from "./common";

/** Labels of the PandaLM test set. */
export const PANDALM_LABELS = { tie: 0, response1: 1, response2: 2 } as const;

/** The canonical strength (3-point scale) of a PandaLM label: 1 → −1, 0 → 0, 2 → +1. */
export function pandalmStrength(label: 0 | 1 | 2): -1 | 0 | 1 {
  return label === 1 ? -1 : label === 2 ? 1 : 0;
}

const ANNOTATOR_KEY = /^annotator(\d+)$/;

const label = z.union([z.literal(0), z.literal(1), z.literal(2), z.null()], {
  error: (iss) =>
    iss.input === undefined
      ? "is required"
      : `must be 0 (tie), 1 (response1 better) or 2 (response2 better), got ${JSON.stringify(iss.input)}`,
});

/**
 * A response: text, or a bare JSON scalar — the released file has a few answers stored as
 * the boolean `true` (a "Verify the statement" instruction answered "True"); they are
 * taken as their JSON text ("true").
 */
const response = z.union([z.string(), z.boolean(), z.number()], { error: "must be a string" }).transform((v) => String(v));

/** Schema of one test-set record (other fields allowed). */
export const PandalmRecord = z
  .looseObject(
    {
      idx: z.number({ error: "must be an integer" }).int("must be an integer").nonnegative("must not be negative"),
      cmp_key: z.string({ error: "must be a string" }).regex(/^[^_]+_[^_]+$/, "must be <model of response1>_<model of response2>"),
      response1: response,
      response2: response,
    },
    { error: "must be a JSON object" },
  )
  .superRefine((rec, ctx) => {
    const keys = Object.keys(rec).filter((k) => ANNOTATOR_KEY.test(k));
    if (keys.length === 0) ctx.addIssue({ code: "custom", path: ["annotator1"], message: "is required (no annotatorN label)" });
    for (const key of keys) {
      const r = label.safeParse(rec[key]);
      if (!r.success) for (const i of r.error.issues) ctx.addIssue({ code: "custom", path: [key], message: i.message });
    }
  });

/** A validated PandaLM record with its labels in annotator order. */
export interface PandalmItem {
  readonly idx: number;
  readonly models: readonly [string, string];
  readonly responses: readonly [string, string];
  /** `[annotator column, label]`, by annotator number; null labels left out. */
  readonly labels: ReadonlyArray<readonly [string, 0 | 1 | 2]>;
}

/** Validates one decoded record. */
export function parsePandalmRecord(value: unknown): { ok: true; item: PandalmItem } | { ok: false; issues: FieldIssue[] } {
  const r = PandalmRecord.safeParse(value);
  if (!r.success) return { ok: false, issues: fieldIssues(r.error) };
  const rec = r.data as z.output<typeof PandalmRecord> & Record<string, unknown>;
  const [m1, m2] = rec.cmp_key.split("_") as [string, string];
  const labels = Object.keys(rec)
    .map((k) => [k, ANNOTATOR_KEY.exec(k)] as const)
    .filter((x): x is readonly [string, RegExpExecArray] => x[1] !== null)
    .sort((a, b) => Number(a[1][1]) - Number(b[1][1]))
    .filter(([k]) => rec[k] !== null)
    .map(([k]) => [k, rec[k] as 0 | 1 | 2] as const);
  return { ok: true, item: { idx: rec.idx, models: [m1, m2], responses: [rec.response1, rec.response2], labels } };
}

/** Options of {@link pandalmToRaw}. */
export interface PandalmOptions {
  /** Prefix of task, item, candidate and annotator ids (default "pandalm-"). */
  readonly prefix?: string;
}

/** The raw-judgment lines of one record, one per labelled annotator, in annotator order. */
export function pandalmToRaw(item: PandalmItem, options: PandalmOptions = {}): RawJudgmentInput[] {
  const prefix = options.prefix ?? "pandalm-";
  const task = `${prefix}${item.idx}`;
  const lengths = [textLength(item.responses[0]), textLength(item.responses[1])];
  return item.labels.map(([column, value]) => ({
    judgment_id: `${task}/${column}`,
    task_id: task,
    item_id: task,
    annotator: `${prefix}${column}`,
    kind: "pairwise",
    scale_points: 3,
    candidates: [`${task}/1`, `${task}/2`],
    models: [item.models[0], item.models[1]],
    strength: pandalmStrength(value),
    both_unacceptable: false,
    candidate_lengths: lengths,
    state: "valid",
  }));
}
