import { describe, expect, it } from "vitest";
import { rankingProblem, validateAnswer, type AnswerRules, type AnswerTask } from "@/lib/domain/assignment";
import { SkipInput, SubmitJudgmentInput } from "@/lib/validation/judgment";

const pair7: AnswerTask = { kind: "pairwise", scalePoints: 7, candidateCount: 2 };
const pair2: AnswerTask = { kind: "pairwise", scalePoints: 2, candidateCount: 2 };
const rank3: AnswerTask = { kind: "ranking", scalePoints: 7, candidateCount: 3 };
const rules: AnswerRules = {
  dimensions: ["fluency", "empathy"],
  rationale: "optional",
  allowRankingTies: false,
  allowBothUnacceptable: true,
  safetyFlags: true,
};
const paths = (issues: { path: (string | number)[] }[]) => issues.map((i) => i.path.join("."));

describe("validateAnswer: the answer itself", () => {
  it("accepts every point of the scale and refuses the rest", () => {
    for (const s of [-3, -2, -1, 0, 1, 2, 3]) expect(validateAnswer({ strength: s }, pair7, rules)).toEqual([]);
    expect(paths(validateAnswer({ strength: 4 }, pair7, rules))).toEqual(["strength"]);
    expect(paths(validateAnswer({ strength: 0 }, pair2, rules))).toEqual(["strength"]);
    expect(validateAnswer({ strength: 0 }, pair2, rules)[0]!.message).toMatch(/no tie/);
    expect(paths(validateAnswer({}, pair7, rules))).toEqual(["strength"]);
  });

  it("wants a ranking for K-wise tasks and a strength for pairs", () => {
    expect(paths(validateAnswer({ ranking: [1, 2] }, pair7, rules))).toEqual(["ranking", "strength"]);
    expect(paths(validateAnswer({ strength: 1 }, rank3, rules))).toEqual(["strength", "ranking"]);
    expect(validateAnswer({ ranking: [2, 3, 1] }, rank3, rules)).toEqual([]);
  });

  it("accepts ties in a ranking only where the project allows them, ranked 1, 1, 3 style", () => {
    expect(paths(validateAnswer({ ranking: [1, 1, 3] }, rank3, rules))).toEqual(["ranking"]);
    expect(validateAnswer({ ranking: [1, 1, 3] }, rank3, { ...rules, allowRankingTies: true })).toEqual([]);
    expect(rankingProblem([1, 1, 2], 3, true)).toMatch(/rank 2/);
    expect(rankingProblem([1, 2, 2], 3, true)).toBeNull();
    expect(rankingProblem([1, 1, 1], 3, true)).toBeNull();
    expect(rankingProblem([1, 2], 3, false)).toMatch(/all 3/);
    expect(rankingProblem([0, 1, 2], 3, false)).toMatch(/1 to 3/);
    expect(rankingProblem([1, 2, 4], 3, false)).toMatch(/1 to 3/);
  });

  it("allows 'both unacceptable' only where the project does, and alone", () => {
    expect(validateAnswer({ bothUnacceptable: true }, pair7, rules)).toEqual([]);
    expect(paths(validateAnswer({ bothUnacceptable: true }, pair7, { ...rules, allowBothUnacceptable: false }))).toEqual(["both_unacceptable"]);
    expect(paths(validateAnswer({ bothUnacceptable: true, strength: 1 }, pair7, rules))).toEqual(["strength"]);
    expect(validateAnswer({ bothUnacceptable: true }, rank3, rules)).toEqual([]);
  });
});

describe("validateAnswer: rationale rules", () => {
  it("required: always", () => {
    const r = { ...rules, rationale: "required" as const };
    expect(paths(validateAnswer({ strength: 1 }, pair7, r))).toEqual(["rationale"]);
    expect(paths(validateAnswer({ strength: 1, rationale: "   " }, pair7, r))).toEqual(["rationale"]);
    expect(validateAnswer({ strength: 1, rationale: "B keeps the persona" }, pair7, r)).toEqual([]);
  });

  it("required_for_ties: a tie, a tied ranking or both unacceptable", () => {
    const r = { ...rules, rationale: "required_for_ties" as const, allowRankingTies: true };
    expect(paths(validateAnswer({ strength: 0 }, pair7, r))).toEqual(["rationale"]);
    expect(paths(validateAnswer({ bothUnacceptable: true }, pair7, r))).toEqual(["rationale"]);
    expect(paths(validateAnswer({ ranking: [1, 1, 3] }, rank3, r))).toEqual(["rationale"]);
    expect(validateAnswer({ strength: -3 }, pair7, r)).toEqual([]);
    expect(validateAnswer({ ranking: [1, 2, 3] }, rank3, r)).toEqual([]);
  });

  it("required_for_strong: only the strongest point either way", () => {
    const r = { ...rules, rationale: "required_for_strong" as const };
    expect(paths(validateAnswer({ strength: -3 }, pair7, r))).toEqual(["rationale"]);
    expect(paths(validateAnswer({ strength: 3 }, pair7, r))).toEqual(["rationale"]);
    expect(validateAnswer({ strength: 2 }, pair7, r)).toEqual([]);
    // On the 2-point scale every answer is the strongest.
    expect(paths(validateAnswer({ strength: 1 }, pair2, r))).toEqual(["rationale"]);
  });

  it("off: refuses a rationale the project does not collect", () => {
    expect(paths(validateAnswer({ strength: 1, rationale: "x" }, pair7, { ...rules, rationale: "off" }))).toEqual(["rationale"]);
  });
});

describe("validateAnswer: ratings and safety flags", () => {
  it("takes only the project's dimensions, 1–5, for replies on screen", () => {
    expect(validateAnswer({ strength: 1, ratings: { "0": { fluency: 5 }, "1": { empathy: 1 } } }, pair7, rules)).toEqual([]);
    expect(paths(validateAnswer({ strength: 1, ratings: { "0": { coherence: 3 } } }, pair7, rules))).toEqual(["ratings.0.coherence"]);
    expect(paths(validateAnswer({ strength: 1, ratings: { "0": { fluency: 6 } } }, pair7, rules))).toEqual(["ratings.0.fluency"]);
    expect(paths(validateAnswer({ strength: 1, ratings: { "0": { fluency: 2.5 } } }, pair7, rules))).toEqual(["ratings.0.fluency"]);
    expect(paths(validateAnswer({ strength: 1, ratings: { "2": { fluency: 3 } } }, pair7, rules))).toEqual(["ratings.2"]);
    expect(validateAnswer({ strength: 1, ratings: { "0": { fluency: 3 } } }, pair7, { ...rules, dimensions: [] })[0]!.message).toMatch(/no dimensions/);
  });

  it("takes known safety categories only, and only where the project collects them", () => {
    expect(validateAnswer({ strength: 1, unsafe: { "1": "sexual_minor" } }, pair7, rules)).toEqual([]);
    expect(paths(validateAnswer({ strength: 1, unsafe: { "1": "rude" } }, pair7, rules))).toEqual(["unsafe.1"]);
    expect(paths(validateAnswer({ strength: 1, unsafe: { "5": "hate" } }, pair7, rules))).toEqual(["unsafe.5"]);
    expect(paths(validateAnswer({ strength: 1, unsafe: { "0": "hate" } }, pair7, { ...rules, safetyFlags: false }))).toEqual(["unsafe"]);
  });

  it("takes known role-play flags on replies on screen, without repeats, where the project collects them", () => {
    expect(validateAnswer({ strength: 1, roleplayFlags: { "0": ["out_of_character", "speaks_for_user", "reveals_ai"] } }, pair7, rules)).toEqual([]);
    expect(validateAnswer({ strength: 1, roleplayFlags: { "1": [] } }, pair7, { ...rules, roleplayFlags: false })).toEqual([]);
    expect(paths(validateAnswer({ strength: 1, roleplayFlags: { "0": ["rude"] } }, pair7, rules))).toEqual(["roleplay_flags.0"]);
    expect(paths(validateAnswer({ strength: 1, roleplayFlags: { "0": ["reveals_ai", "reveals_ai"] } }, pair7, rules))).toEqual(["roleplay_flags.0"]);
    expect(paths(validateAnswer({ strength: 1, roleplayFlags: { "2": ["reveals_ai"] } }, pair7, rules))).toEqual(["roleplay_flags.2"]);
    expect(paths(validateAnswer({ strength: 1, roleplayFlags: { "0": ["reveals_ai"] } }, pair7, { ...rules, roleplayFlags: false }))).toEqual(["roleplay_flags"]);
  });
});

describe("SubmitJudgmentInput and SkipInput", () => {
  const fields = (r: { success: boolean; error?: { issues: { path: PropertyKey[] }[] } }) =>
    r.success ? [] : r.error!.issues.map((i) => i.path.map(String).join("."));

  it("accepts the documented body", () => {
    const r = SubmitJudgmentInput.safeParse({
      strength: -2,
      ratings: { "0": { fluency: 4 } },
      unsafe: { "1": "violence" },
      rationale: "left keeps the voice",
      seconds: 31.4,
    });
    expect(r.success).toBe(true);
  });

  it("names the field of every problem and refuses unknown fields", () => {
    expect(fields(SubmitJudgmentInput.safeParse({ strength: 1.5 }))).toEqual(["strength"]);
    expect(fields(SubmitJudgmentInput.safeParse({ strenght: 1 }))).toContain("");
    expect(fields(SubmitJudgmentInput.safeParse({ strength: 1, ratings: { left: { fluency: 3 } } }))).toEqual(["ratings.left"]);
    expect(fields(SubmitJudgmentInput.safeParse({ strength: 1, seconds: -1 }))).toEqual(["seconds"]);
    expect(fields(SubmitJudgmentInput.safeParse({}))).toEqual(["strength"]);
    expect(fields(SubmitJudgmentInput.safeParse({ strength: 1, ranking: [1, 2] }))).toEqual(["ranking"]);
    expect(fields(SubmitJudgmentInput.safeParse({ strength: 1, rationale: "x".repeat(10_001) }))).toEqual(["rationale"]);
  });

  it("takes the three skip reasons and an optional note", () => {
    expect(SkipInput.safeParse({ reason: "broken_content", note: "empty reply" }).success).toBe(true);
    expect(fields(SkipInput.safeParse({ reason: "bored" }))).toEqual(["reason"]);
  });
});
