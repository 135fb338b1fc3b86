import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { kendallW, kendallWByTask, meanKendallW, midranks } from "@/lib/domain/stats";

/** R irr's `anxiety` data: 20 subjects (the objects ranked) scored 1–6 by 3 raters. */
const ANXIETY = [
  [3, 3, 3, 4, 5, 5, 2, 3, 5, 2, 2, 6, 1, 5, 2, 2, 1, 2, 4, 3],
  [3, 6, 4, 6, 2, 4, 2, 4, 3, 3, 2, 3, 3, 3, 2, 2, 1, 3, 3, 4],
  [2, 1, 4, 4, 3, 2, 1, 6, 1, 1, 1, 2, 3, 3, 1, 1, 3, 3, 2, 2],
];

describe("Kendall's W", () => {
  it("reproduces R irr::kendall(anxiety, TRUE): Wt = 0.54, χ²(19) = 30.8", () => {
    const r = kendallW(ANXIETY)!;
    expect(r.raters).toBe(3);
    expect(r.objects).toBe(20);
    expect(r.w!.toFixed(2)).toBe("0.54");
    expect(r.chiSquare!.toFixed(1)).toBe("30.8");
  });

  it("converts tied ranks to midranks, whatever their coding", () => {
    expect(Array.from(midranks([1, 1, 3]))).toEqual([1.5, 1.5, 3]);
    expect(Array.from(midranks([1, 1, 2]))).toEqual([1.5, 1.5, 3]);
    expect(Array.from(midranks([2, 1, 2, 2]))).toEqual([3, 1, 3, 3]);
  });

  it("is 1 for identical rankings and 0 for perfectly balanced ones", () => {
    expect(
      kendallW([
        [1, 2, 3, 4],
        [1, 2, 3, 4],
        [1, 2, 3, 4],
      ])!.w,
    ).toBeCloseTo(1, 12);
    expect(
      kendallW([
        [1, 2, 3],
        [2, 3, 1],
        [3, 1, 2],
      ])!.w,
    ).toBeCloseTo(0, 12);
    // Identical rankings with ties: the tie correction keeps W at 1.
    expect(
      kendallW([
        [1, 1, 3],
        [1, 1, 3],
      ])!.w,
    ).toBeCloseTo(1, 12);
  });

  it("is undefined with one ranking, one candidate, or only all-tied rankings", () => {
    expect(kendallW([[1, 2, 3]])).toBeNull();
    expect(kendallW([[1], [1]])).toBeNull();
    expect(
      kendallW([
        [1, 1],
        [1, 1],
      ])!.w,
    ).toBeNull();
    expect(() =>
      kendallW([
        [1, 2],
        [1, 2, 3],
      ]),
    ).toThrow();
  });

  it("without ties equals ((m − 1)·mean Spearman ρ + 1)/m (Kendall's identity)", () => {
    const perms = fc.integer({ min: 2, max: 7 }).chain((n) =>
      fc.array(
        fc.shuffledSubarray(
          Array.from({ length: n }, (_, i) => i + 1),
          { minLength: n, maxLength: n },
        ),
        {
          minLength: 2,
          maxLength: 6,
        },
      ),
    );
    fc.assert(
      fc.property(perms, (rankings) => {
        const m = rankings.length;
        let sum = 0;
        let pairs = 0;
        for (let a = 0; a < m; a++) {
          for (let b = a + 1; b < m; b++) {
            sum += spearman(rankings[a]!, rankings[b]!);
            pairs++;
          }
        }
        const w = kendallW(rankings)!.w!;
        return Math.abs(w - ((m - 1) * (sum / pairs) + 1) / m) < 1e-9 && w >= -1e-12 && w <= 1 + 1e-12;
      }),
    );
  });

  it("averages over tasks with chance level 1/m", () => {
    const res = kendallWByTask([
      { task: "a", ranks: [1, 2, 3] },
      { task: "a", ranks: [1, 2, 3] },
      { task: "b", ranks: [1, 2, 3] },
      { task: "b", ranks: [2, 3, 1] },
      { task: "b", ranks: [3, 1, 2] },
      { task: "c", ranks: [1, 2] }, // a single ranking: skipped
    ]);
    expect(res.tasks).toBe(2);
    expect(res.w).toBeCloseTo(0.5, 12);
    expect(res.chance).toBeCloseTo((1 / 2 + 1 / 3) / 2, 12);
    expect(meanKendallW([])).toEqual({ w: null, tasks: 0, chance: null });
  });
});

function spearman(x: readonly number[], y: readonly number[]): number {
  const n = x.length;
  let d2 = 0;
  for (let i = 0; i < n; i++) d2 += (x[i]! - y[i]!) ** 2;
  return 1 - (6 * d2) / (n * (n * n - 1));
}
