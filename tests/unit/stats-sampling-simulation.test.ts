import { describe, expect, it } from "vitest";
import { simulateSampling, votesToReach } from "@/lib/domain/stats";

describe("sampling simulation (bench:sampling)", () => {
  const options = { ratings: [800, 950, 1100, 1300], votes: 600, checkpoint: 200, seed: 3 } as const;

  it("is reproducible for a seed and narrows the intervals as votes come in", () => {
    for (const policy of ["uniform", "active"] as const) {
      const run = simulateSampling({ ...options, policy });
      expect(simulateSampling({ ...options, policy })).toEqual(run);
      expect(run.map((c) => c.votes)).toEqual([200, 400, 600]);
      expect(run[2]!.meanWidth).toBeLessThan(run[0]!.meanWidth);
      expect(run[2]!.meanWinRateWidth).toBeLessThan(run[0]!.meanWinRateWidth);
      for (const c of run) expect(c.rankErrors).toBeGreaterThanOrEqual(0);
    }
  });

  it("interpolates the votes needed to reach a width", () => {
    const run = [
      { votes: 100, meanWidth: 50, rankErrors: 0, meanWinRateWidth: 0.2 },
      { votes: 200, meanWidth: 30, rankErrors: 0, meanWinRateWidth: 0.1 },
    ];
    expect(votesToReach(run, 40)).toBe(150);
    expect(votesToReach(run, 60)).toBe(100);
    expect(votesToReach(run, 10)).toBeNull();
    expect(votesToReach(run, 0.15, "meanWinRateWidth")).toBe(150);
  });
});
