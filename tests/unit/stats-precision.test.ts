import { describe, expect, it } from "vitest";
import { computeStatsReport } from "@/lib/domain/stats";
import { loadRawFixture } from "./raw-judgments";

describe("machine-readable statistics keep their precision", () => {
  const rows = loadRawFixture();
  const report = computeStatsReport(rows, { seed: 7, bootstrapRounds: 50 });

  const offGrid = (x: number | null, digits: number) => x !== null && Math.abs(x * 10 ** digits - Math.round(x * 10 ** digits)) > 1e-6;

  it("carries each Bradley–Terry rating and interval as fitted, not rounded to 0.1", () => {
    const board = report.bradley_terry!;
    expect(board.length).toBeGreaterThan(1);
    // With real data, every fitted value off the 0.1 (and 0.0001) grid means nothing was cut.
    expect(board.filter((r) => r.rating !== null).every((r) => offGrid(r.rating, 4))).toBe(true);
    expect(board.some((r) => offGrid(r.ci_low, 4) && offGrid(r.ci_high, 4))).toBe(true);
  });

  it("carries coefficients unrounded (not cut to 4 decimals)", () => {
    expect(offGrid(report.fleiss_kappa.value, 4)).toBe(true);
    expect(offGrid(report.krippendorff_alpha.nominal, 4)).toBe(true);
  });
});
