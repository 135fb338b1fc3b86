import { describe, expect, it } from "vitest";
import { indexNames, keepUnits, multiply, posteriorFromLogs } from "@/lib/domain/stats";

describe("multiply", () => {
  it("is the matrix product, zeros of the left factor included", () => {
    const a = [1, 0, 2, 3];
    const b = [4, 5, 6, 7];
    expect([...multiply(a, b, 2)]).toEqual([1 * 4 + 0 * 6, 1 * 5 + 0 * 7, 2 * 4 + 3 * 6, 2 * 5 + 3 * 7]);
  });
});

describe("indexNames", () => {
  it("sorts distinct names by code unit and indexes them", () => {
    const { names, index } = indexNames(["b", "a", "B", "b"]);
    expect(names).toEqual(["B", "a", "b"]);
    expect([...index]).toEqual([
      ["B", 0],
      ["a", 1],
      ["b", 2],
    ]);
  });
});

describe("keepUnits", () => {
  it("keeps the rows whose total passes, with their original indexes", () => {
    const data = { categories: [0, 1], units: 3, counts: [1, 0, 2, 1, 0, 0] };
    const { rows, kept } = keepUnits(data, (m) => m >= 1);
    expect(kept).toEqual([0, 1]);
    expect(rows).toEqual({ categories: [0, 1], units: 2, counts: new Float64Array([1, 0, 2, 1]) });
  });
});

describe("posteriorFromLogs", () => {
  it("normalises each row of log scores and answers the log of the summed likelihoods", () => {
    const log = new Float64Array([Math.log(1), Math.log(3), Math.log(2), Math.log(2)]);
    const out = new Float64Array(4);
    const ll = posteriorFromLogs(log, out, 2);
    expect([...out].map((x) => Number(x.toFixed(12)))).toEqual([0.25, 0.75, 0.5, 0.5]);
    expect(ll).toBeCloseTo(Math.log(4) + Math.log(4), 12);
  });

  it("stays finite where the plain exponentials underflow", () => {
    const out = new Float64Array(2);
    const ll = posteriorFromLogs(new Float64Array([-2000, -2000 + Math.log(3)]), out, 2);
    expect(out[1]).toBeCloseTo(0.75, 12);
    expect(ll).toBeCloseTo(-2000 + Math.log(4), 9);
  });
});
