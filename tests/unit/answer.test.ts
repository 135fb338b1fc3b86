import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { answerToCanonical, answerToDisplay, rankingProblem, validateAnswer, type AnswerRules, type AnswerTask } from "@/lib/domain/answer";
import { shuffled } from "@/lib/domain/assignment";
import { createRng } from "@/lib/domain/stats/rng";
import { SkipInput, SubmitJudgmentInput } from "@/lib/validation/judgment";

const seeded = (seed: number) => {
  const rng = createRng(seed);
  return () => rng.next();
};

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
    expect(paths(validateAnswer({ bothUnacceptable: true }, pair7, { ...rules, allowBothUnacceptable: false }))).toEqual([
      "both_unacceptable",
    ]);
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
    expect(validateAnswer({ strength: 1, ratings: { "0": { fluency: 3 } } }, pair7, { ...rules, dimensions: [] })[0]!.message).toMatch(
      /no dimensions/,
    );
  });

  it("takes known safety categories only, and only where the project collects them", () => {
    expect(validateAnswer({ strength: 1, unsafe: { "1": "sexual_minor" } }, pair7, rules)).toEqual([]);
    expect(paths(validateAnswer({ strength: 1, unsafe: { "1": "rude" } }, pair7, rules))).toEqual(["unsafe.1"]);
    expect(paths(validateAnswer({ strength: 1, unsafe: { "5": "hate" } }, pair7, rules))).toEqual(["unsafe.5"]);
    expect(paths(validateAnswer({ strength: 1, unsafe: { "0": "hate" } }, pair7, { ...rules, safetyFlags: false }))).toEqual(["unsafe"]);
  });

  it("takes known role-play flags on replies on screen, without repeats, where the project collects them", () => {
    expect(
      validateAnswer({ strength: 1, roleplayFlags: { "0": ["out_of_character", "speaks_for_user", "reveals_ai"] } }, pair7, rules),
    ).toEqual([]);
    expect(validateAnswer({ strength: 1, roleplayFlags: { "1": [] } }, pair7, { ...rules, roleplayFlags: false })).toEqual([]);
    expect(paths(validateAnswer({ strength: 1, roleplayFlags: { "0": ["rude"] } }, pair7, rules))).toEqual(["roleplay_flags.0"]);
    expect(paths(validateAnswer({ strength: 1, roleplayFlags: { "0": ["reveals_ai", "reveals_ai"] } }, pair7, rules))).toEqual([
      "roleplay_flags.0",
    ]);
    expect(paths(validateAnswer({ strength: 1, roleplayFlags: { "2": ["reveals_ai"] } }, pair7, rules))).toEqual(["roleplay_flags.2"]);
    expect(
      paths(validateAnswer({ strength: 1, roleplayFlags: { "0": ["reveals_ai"] } }, pair7, { ...rules, roleplayFlags: false })),
    ).toEqual(["roleplay_flags"]);
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

  it("keeps seconds to the millisecond, so a float too small for the 4-byte column is stored as 0", () => {
    const seconds = (value: number) => SubmitJudgmentInput.parse({ strength: 1, seconds: value }).seconds;
    expect(seconds(5e-324)).toBe(0);
    expect(seconds(1e-46)).toBe(0);
    expect(seconds(31.41592)).toBe(31.416);
    expect(seconds(86_400)).toBe(86_400);
    expect(fields(SubmitJudgmentInput.safeParse({ strength: 1, seconds: 86_400.5 }))).toEqual(["seconds"]);
  });

  it("takes the three skip reasons and an optional note", () => {
    expect(SkipInput.safeParse({ reason: "broken_content", note: "empty reply" }).success).toBe(true);
    expect(fields(SkipInput.safeParse({ reason: "bored" }))).toEqual(["reason"]);
  });
});

describe("display → canonical", () => {
  it("flips the strength's sign when B was shown on the left", () => {
    // "Left much better" with B on the left is "B much better" canonically.
    expect(answerToCanonical({ strength: -3 }, [1, 0]).strength).toBe(3);
    expect(answerToCanonical({ strength: -3 }, [0, 1]).strength).toBe(-3);
    expect(answerToCanonical({ strength: 0 }, [1, 0]).strength).toBe(0);
  });

  it("moves rankings, ratings and safety flags from display slots to candidate indexes", () => {
    const c = answerToCanonical(
      {
        ranking: [1, 3, 2],
        ratings: { "0": { fluency: 5 }, "2": { fluency: 2 } },
        unsafe: { "1": "violence" },
        rationale: "  the first shown stays in character  ",
        seconds: 12.5,
      },
      [2, 0, 1],
    );
    // Slot 0 showed candidate 2, slot 1 candidate 0, slot 2 candidate 1.
    expect(c.ranks).toEqual([3, 2, 1]);
    expect(c.ratings).toEqual({ "2": { fluency: 5 }, "1": { fluency: 2 } });
    expect(c.unsafe).toEqual({ "0": "violence" });
    expect(c.rationale).toBe("the first shown stays in character");
    expect(c.seconds).toBe(12.5);
    expect(c.strength).toBeNull();
  });

  it("stores 'both unacceptable' with no strength or ranking and an empty rationale as null", () => {
    expect(answerToCanonical({ bothUnacceptable: true, rationale: "  " }, [1, 0])).toEqual({
      strength: null,
      ranks: null,
      bothUnacceptable: true,
      ratings: {},
      unsafe: {},
      roleplayFlags: {},
      rationale: null,
      seconds: null,
    });
  });

  it("moves role-play flags to canonical order, in the fixed flag order, and back", () => {
    const canonical = answerToCanonical({ strength: 1, roleplayFlags: { "0": ["reveals_ai", "out_of_character"], "1": [] } }, [1, 0]);
    expect(canonical.roleplayFlags).toEqual({ "1": ["out_of_character", "reveals_ai"] });
    expect(answerToDisplay(canonical, [1, 0]).roleplayFlags).toEqual({ "0": ["out_of_character", "reveals_ai"] });
  });

  it("round-trips through answerToDisplay for every display order", () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 6 }), fc.integer(), (k, seed) => {
        const random = seeded(seed);
        const order = shuffled(
          Array.from({ length: k }, (_, i) => i),
          random,
        );
        const ranking = shuffled(
          Array.from({ length: k }, (_, i) => i + 1),
          random,
        );
        const ratings = { [String(Math.floor(random() * k))]: { empathy: 1 + Math.floor(random() * 5) } };
        const display = k === 2 ? { strength: Math.floor(random() * 7) - 3, ratings } : { ranking, ratings };
        const back = answerToDisplay(answerToCanonical(display, order), order);
        return (
          JSON.stringify({ s: back.strength, r: back.ranking, ra: back.ratings }) ===
          JSON.stringify({ s: (display as { strength?: number }).strength, r: (display as { ranking?: number[] }).ranking, ra: ratings })
        );
      }),
    );
  });

  it("refuses an order that is not a permutation", () => {
    expect(() => answerToCanonical({ strength: 1 }, [0, 0])).toThrow(RangeError);
  });
});
