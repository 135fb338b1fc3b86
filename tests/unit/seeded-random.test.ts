import { describe, expect, it } from "vitest";
import { hash32, seededRandom } from "@/lib/domain/seeded-random";

describe("seededRandom", () => {
  it("gives the same sequence for the same seed, and another for another seed", () => {
    const a = seededRandom(42);
    const b = seededRandom(42);
    const c = seededRandom(43);
    const xs = Array.from({ length: 100 }, () => a());
    expect(Array.from({ length: 100 }, () => b())).toEqual(xs);
    expect(Array.from({ length: 100 }, () => c())).not.toEqual(xs);
  });

  it("stays in [0, 1) and spreads over it", () => {
    const rand = seededRandom(20240601);
    const xs = Array.from({ length: 10_000 }, () => rand());
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...xs)).toBeLessThan(1);
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
    expect(mean).toBeGreaterThan(0.48);
    expect(mean).toBeLessThan(0.52);
  });
});

describe("hash32", () => {
  it("is FNV-1a over UTF-16 code units", () => {
    // Reference values of 32-bit FNV-1a for ASCII input.
    expect(hash32("")).toBe(0x811c9dc5);
    expect(hash32("a")).toBe(0xe40c292c);
    expect(hash32("foobar")).toBe(0xbf9cf968);
    expect(hash32("孙悟空")).not.toBe(hash32("林黛玉"));
  });
});
