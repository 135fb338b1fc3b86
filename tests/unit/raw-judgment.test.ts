import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { scaleValues, SCALE_POINTS, type ScalePoints } from "@/lib/domain/preference";
import type { StatsJudgmentInput } from "@/lib/domain/stats";
import {
  RawJudgmentLine,
  RawTaskConsistency,
  parseRawJudgmentLine,
  rawJudgmentKind,
  validateRawJudgment,
  type RawJudgment,
} from "@/lib/validation/raw-judgment";

const base = { task_id: "t1", annotator: "ann-1", scale_points: 7 };

function issues(value: unknown) {
  const r = validateRawJudgment(value);
  return r.ok ? [] : r.issues;
}

function ok(value: unknown): RawJudgment {
  const r = validateRawJudgment(value);
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return r.value;
}

describe("RawJudgmentLine: required fields", () => {
  it("accepts the minimal pairwise and K-wise lines", () => {
    expect(ok({ ...base, strength: -3 }).strength).toBe(-3);
    expect(ok({ ...base, ranking: [2, 1, 3] }).ranking).toEqual([2, 1, 3]);
    expect(ok({ task_id: 12, annotator: "x", scale_points: 2, strength: 1 }).task_id).toBe(12);
  });

  it("accepts a full export line and keeps unknown fields", () => {
    const line = ok({
      judgment_id: 91,
      task_id: 4,
      item_id: "rb-0001",
      annotator: "3f9a…",
      kind: "pairwise",
      scale_points: 5,
      candidates: [10, 11],
      models: ["index-1.9b-dpo", "baseline"],
      strength: 2,
      both_unacceptable: false,
      display_order: [1, 0],
      ratings: { "0": { fluency: 4, empathy: null }, "1": { fluency: 2 } },
      unsafe: { "1": "violence" },
      rationale: "B stays in character",
      seconds: 41.5,
      gold: { strength: 2, accept: [1, 2] },
      state: "valid",
      created_at: "2024-05-01T10:00:00.000Z",
      candidate_lengths: [120, 300],
      extra_column: { anything: true },
    });
    expect((line as Record<string, unknown>).extra_column).toEqual({ anything: true });
    expect(rawJudgmentKind(line)).toBe("pairwise");
  });

  it("names a missing annotator, task or scale", () => {
    expect(issues({ task_id: "t", scale_points: 3, strength: 1 })).toEqual([{ field: "annotator", message: "is required" }]);
    expect(issues({ annotator: "a", scale_points: 3, strength: 1 })).toEqual([{ field: "task_id", message: "is required" }]);
    expect(issues({ ...base, task_id: -1, strength: 1 })).toEqual([{ field: "task_id", message: "must not be negative" }]);
    expect(issues({ ...base, task_id: true, strength: 1 })).toEqual([
      { field: "task_id", message: "must be a non-empty string or a non-negative integer (got boolean)" },
    ]);
    expect(issues({ task_id: "t", annotator: "a", strength: 1 })).toEqual([{ field: "scale_points", message: "is required" }]);
    expect(issues({ ...base, annotator: "  " })[0]).toEqual({ field: "annotator", message: "must not be empty" });
    expect(issues({ ...base, scale_points: 4, strength: 1 })[0]).toMatchObject({ field: "scale_points" });
  });

  it("requires an answer unless the judgment is 'both unacceptable'", () => {
    expect(issues(base)).toEqual([{ field: "strength", message: expect.stringMatching(/is required/) }]);
    expect(issues({ ...base, kind: "ranking" })).toEqual([{ field: "ranking", message: expect.stringMatching(/is required/) }]);
    expect(ok({ ...base, both_unacceptable: true, strength: null }).both_unacceptable).toBe(true);
    expect(issues({ ...base, both_unacceptable: true, strength: 1 })[0]).toMatchObject({ field: "strength" });
    expect(issues({ ...base, strength: 1, ranking: [1, 2] })[0]).toMatchObject({ field: "ranking" });
    expect(issues({ ...base, kind: "ranking", strength: 1 })[0]).toMatchObject({ field: "kind" });
  });
});

describe("RawJudgmentLine: strength on its scale", () => {
  it("accepts exactly the scale's points (property)", () => {
    fc.assert(
      fc.property(fc.constantFrom(...SCALE_POINTS), fc.integer({ min: -5, max: 5 }), (points, s) => {
        const valid = scaleValues(points as ScalePoints).includes(s);
        expect(validateRawJudgment({ ...base, scale_points: points, strength: s }).ok).toBe(valid);
      }),
    );
  });

  it("says which points are allowed", () => {
    expect(issues({ ...base, scale_points: 3, strength: 2 })).toEqual([
      { field: "strength", message: "2 is not on the scale (allowed on the 3-point scale: -1, 0, 1)" },
    ]);
    expect(issues({ ...base, scale_points: 2, strength: 0 })[0]!.message).toMatch(/-1, 1\)/);
    expect(issues({ ...base, strength: 1.5 })[0]).toMatchObject({ field: "strength" });
    expect(issues({ ...base, strength: "1" })[0]).toMatchObject({ field: "strength", message: expect.stringMatching(/got string/) });
  });

  it("checks gold answers against the scale", () => {
    expect(issues({ ...base, scale_points: 3, strength: 1, gold: { strength: 2 } })[0]).toMatchObject({ field: "gold.strength" });
    expect(issues({ ...base, scale_points: 3, strength: 1, gold: { strength: 1, accept: [1, 3] } })[0]).toMatchObject({
      field: "gold.accept[1]",
    });
  });
});

describe("RawJudgmentLine: rankings and lists", () => {
  it("ranking[i] is the rank of canonical candidate i, 1 = best, ties allowed", () => {
    expect(ok({ ...base, ranking: [1, 1, 3] }).ranking).toEqual([1, 1, 3]);
    expect(issues({ ...base, ranking: [0, 1] })[0]).toMatchObject({ field: "ranking[0]" });
    expect(issues({ ...base, ranking: [1, 4, 2] })[0]).toMatchObject({ field: "ranking[1]", message: expect.stringMatching(/1\.\.3/) });
    expect(issues({ ...base, ranking: [2, 2] })[0]).toMatchObject({ field: "ranking", message: expect.stringMatching(/rank 1/) });
    expect(issues({ ...base, ranking: [1] })[0]).toMatchObject({ field: "ranking" });
  });

  it("lists of one judgment agree in length; pairwise has two candidates", () => {
    expect(issues({ ...base, ranking: [1, 2, 3], models: ["x", "y"] })[0]).toEqual({
      field: "models",
      message: "has 2 entries but ranking has 3",
    });
    expect(issues({ ...base, strength: 1, candidates: [1, 2, 3] })[0]).toMatchObject({ field: "candidates" });
    expect(ok({ ...base, strength: 1, models: ["x", null] }).models).toEqual(["x", null]);
  });

  it("display order is a permutation", () => {
    expect(ok({ ...base, strength: 1, display_order: [1, 0] }).display_order).toEqual([1, 0]);
    expect(issues({ ...base, strength: 1, display_order: [0, 0] })[0]).toMatchObject({ field: "display_order" });
    expect(issues({ ...base, strength: 1, display_order: [0, 2] })[0]).toMatchObject({ field: "display_order" });
  });

  it("ratings are 1–5 per candidate index, as an object or a list", () => {
    expect(ok({ ...base, strength: 1, ratings: [{ fluency: 5 }, null] }).ratings).toEqual([{ fluency: 5 }, null]);
    expect(issues({ ...base, strength: 1, ratings: { "0": { fluency: 6 } } })[0]).toMatchObject({ field: "ratings.0.fluency" });
    expect(issues({ ...base, strength: 1, ratings: { "2": { fluency: 3 } } })[0]).toMatchObject({
      field: "ratings.2",
      message: expect.stringMatching(/out of range/),
    });
  });

  it("state, seconds and created_at", () => {
    expect(issues({ ...base, strength: 1, state: "deleted" })[0]).toMatchObject({ field: "state" });
    expect(issues({ ...base, strength: 1, seconds: -1 })[0]).toMatchObject({ field: "seconds" });
    expect(issues({ ...base, strength: 1, seconds: 90_000 })[0]).toMatchObject({ field: "seconds" });
    expect(RawJudgmentLine.parse({ ...base, strength: 1, seconds: 5e-324 }).seconds).toBe(0);
    expect(issues({ ...base, strength: 1, created_at: "yesterday" })[0]).toMatchObject({ field: "created_at" });
  });

  it("a validated line is a StatsJudgmentInput", () => {
    const line: StatsJudgmentInput = RawJudgmentLine.parse({ ...base, strength: 1 });
    expect(line.strength).toBe(1);
  });
});

describe("parseRawJudgmentLine", () => {
  it("skips blank lines, reports invalid JSON and non-objects", () => {
    expect(parseRawJudgmentLine("   ")).toEqual({ ok: true, value: null });
    const bad = parseRawJudgmentLine('{"task_id": ');
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.issues[0]!.field).toBe("(json)");
    const arr = parseRawJudgmentLine("[1, 2]");
    expect(!arr.ok && arr.issues[0]).toEqual({ field: "(line)", message: "must be a JSON object (got array)" });
    expect(parseRawJudgmentLine(`\uFEFF${JSON.stringify({ ...base, strength: 0 })}`).ok).toBe(true);
  });
});

describe("RawTaskConsistency", () => {
  it("flags lines of one task that disagree on scale, size or models", () => {
    const c = new RawTaskConsistency();
    expect(c.check(1, ok({ ...base, strength: 1, models: ["x", "y"] }))).toEqual([]);
    expect(c.check(2, ok({ ...base, annotator: "b", strength: -1, models: ["x", "y"] }))).toEqual([]);
    expect(c.check(3, ok({ ...base, annotator: "c", scale_points: 5, strength: 1 }))[0]).toMatchObject({
      field: "scale_points",
      message: expect.stringMatching(/is 5 but 7 for task "t1" on line 1/),
    });
    expect(c.check(4, ok({ ...base, annotator: "d", strength: 1, models: ["y", "x"] }))[0]).toMatchObject({ field: "models" });
    expect(c.check(5, ok({ ...base, annotator: "e", ranking: [1, 2, 3] })).map((i) => i.field)).toEqual(["kind", "ranking"]);
  });
});
