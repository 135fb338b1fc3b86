import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createRng, median, percentileInterval, quantileSorted, wilsonInterval } from "@/lib/domain/stats";

describe("seeded generator", () => {
  it("repeats its stream for a seed and differs between seeds", () => {
    const a = createRng(123);
    const b = createRng(123);
    const c = createRng(124);
    const xs = Array.from({ length: 20 }, () => a.nextUint32());
    expect(Array.from({ length: 20 }, () => b.nextUint32())).toEqual(xs);
    expect(Array.from({ length: 20 }, () => c.nextUint32())).not.toEqual(xs);
    expect(createRng(2 ** 40).next()).not.toBe(createRng(0).next());
  });

  it("draws integers in range, roughly uniformly", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 32 }), fc.integer(), (bound, seed) => {
        const rng = createRng(seed);
        for (let i = 0; i < 50; i++) {
          const x = rng.int(bound);
          if (!Number.isInteger(x) || x < 0 || x >= bound) return false;
        }
        return true;
      }),
    );
    const rng = createRng(1);
    const counts = new Array<number>(10).fill(0);
    for (let i = 0; i < 100000; i++) counts[rng.int(10)]! += 1;
    for (const c of counts) expect(Math.abs(c - 10000)).toBeLessThan(500);
    let sum = 0;
    for (let i = 0; i < 100000; i++) sum += rng.next();
    expect(sum / 100000).toBeCloseTo(0.5, 2);
    expect(() => rng.int(0)).toThrow();
  });
});

describe("intervals", () => {
  it("reproduces Newcombe (1998) Wilson score intervals (method 3)", () => {
    const fmt = (x: number, n: number) => {
      const w = wilsonInterval(x, n)!;
      return [w.low.toFixed(4), w.high.toFixed(4)];
    };
    expect(fmt(81, 263)).toEqual(["0.2553", "0.3662"]);
    expect(fmt(15, 148)).toEqual(["0.0624", "0.1605"]);
    expect(fmt(0, 20)).toEqual(["0.0000", "0.1611"]);
    expect(fmt(1, 29)).toEqual(["0.0061", "0.1718"]);
    expect(wilsonInterval(0, 0)).toBeNull();
    expect(wilsonInterval(2.5, 4)!.estimate).toBe(0.625);
  });

  it("interpolates quantiles like R type 7 and handles infinite values", () => {
    expect(quantileSorted([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(quantileSorted([1, 2, 3, 4], 0.025)).toBeCloseTo(1.075, 12);
    expect(quantileSorted([1, 2, Infinity, Infinity], 0.975)).toBe(Infinity);
    expect(quantileSorted([1, 2, 3, Infinity], 0.5)).toBe(2.5);
    expect(quantileSorted([], 0.5)).toBeNull();
    expect(median([5, 1, 3])).toBe(3);
    expect(median([])).toBeNull();
    expect(percentileInterval([NaN, 1, 2, 3, NaN])).toMatchObject({ replicates: 3 });
    expect(percentileInterval([NaN])).toBeNull();
  });
});
