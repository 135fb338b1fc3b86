/**
 * A small run of `npm run bench:multi-instance`: two `next start` instances of the
 * production build on one database, annotators whose lease is taken on one instance and
 * submitted on the other. Checks the invariants, not the speed.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { describeInvariants } from "@/scripts/bench/lib/annotation-load";
import { assertProductionBuild } from "@/scripts/bench/lib/app-instance";
import { runMultiInstance, type MultiInstanceResult } from "@/scripts/bench/lib/multi-instance-run";
import { useTestDatabase } from "../integration/helpers/db";

describe("two app instances on one database", () => {
  let result: MultiInstanceResult;

  beforeAll(async () => {
    assertProductionBuild();
    const t = await useTestDatabase();
    result = await runMultiInstance({
      databaseUrl: t.url,
      instances: 2,
      annotators: 8,
      cycles: 150,
      overlap: 3,
      poolSize: 4,
      echoServerStderr: false,
    });
    console.log(
      `[multi-instance] ${result.cycles} cycles, ${result.cyclesPerSecond.toFixed(0)} cycles/s; requests per instance ${result.requestsPerInstance.join(" / ")}; ${describeInvariants(result.invariants)}`,
    );
  });

  it("answers every request of the run, on both instances", () => {
    expect(result.unexpected).toEqual({});
    expect(result.cycles).toBe(150);
    expect(result.requestsPerInstance.every((n) => n >= 100)).toBe(true);
  });

  it("keeps every invariant", () => {
    expect(result.invariants).toMatchObject({
      ok: true,
      overOverlap: 0,
      annotatorTwice: 0,
      assignmentTwice: 0,
      ackedMissing: 0,
      ackedDuplicated: 0,
    });
    expect(result.invariants.judgments).toBeGreaterThanOrEqual(150);
  });
});
