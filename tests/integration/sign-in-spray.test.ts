import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { recordSignInFailure, getSignInBlock } from "@/db/queries/sign-in-throttle";
import { THROTTLE, verifyCredentials } from "@/lib/auth/sign-in";
import { makeUser, TEST_PASSWORD } from "../factories";
import { useTestDatabase, type TestDatabase } from "./helpers/db";

let t: TestDatabase;
let second: TestDatabase;
beforeAll(async () => {
  t = await useTestDatabase();
  second = await useTestDatabase();
});

const countRows = async () => Number((await t.db.execute<{ n: number }>(sql`select count(*)::int as n from sign_in_throttle`)).rows[0]!.n);

describe("password spraying", () => {
  it("stops one password tried against 200 emails from one address; a real user elsewhere still signs in", async () => {
    const real = await makeUser(t.db, { email: "real@example.test" });
    const sprayer = "203.0.113.7";
    const outcomes: string[] = [];
    for (let i = 0; i < 200; i++) {
      const r = await verifyCredentials(t.db, { email: `victim-${i}@example.test`, password: "Summer2026!" }, { address: sprayer });
      outcomes.push(r.ok ? "ok" : r.reason);
    }
    const invalid = outcomes.filter((o) => o === "invalid").length;
    // Only the free attempts of the address were checked against a password.
    expect(invalid).toBeLessThanOrEqual(THROTTLE.address.freeFailures);
    expect(outcomes.slice(-150).every((o) => o === "throttled")).toBe(true);
    // Refused attempts leave no per-email rows behind.
    expect(await countRows()).toBeLessThanOrEqual(THROTTLE.address.freeFailures + 2);
    // The sprayer's address is blocked even for a right password...
    expect(await verifyCredentials(t.db, { email: real.email, password: TEST_PASSWORD }, { address: sprayer })).toMatchObject({
      ok: false,
      reason: "throttled",
    });
    // ...while the real user at their own address is not.
    expect(await verifyCredentials(t.db, { email: real.email, password: TEST_PASSWORD }, { address: "198.51.100.9" })).toMatchObject({
      ok: true,
    });
    // Each checked attempt is a real bcrypt compare (~0.1 s, more on a busy machine).
  }, 180_000);

  it("a global failure budget stops a spray spread over many addresses, but not a user who has not failed", async () => {
    const other = second;
    const real = await makeUser(other.db, { email: "steady@example.test" });
    // A small budget keeps the test quick; the rule is the same at the default size.
    const policy = { ...THROTTLE, global: { freeFailures: 30, windowSeconds: 900 } };
    const outcomes: string[] = [];
    // 20 addresses, each well under its own limit, trying 6 emails each: 120 guesses.
    for (let round = 0; round < 6; round++) {
      for (let a = 0; a < 20; a++) {
        const r = await verifyCredentials(
          other.db,
          { email: `spread-${round}-${a}@example.test`, password: "x" },
          { address: `10.0.0.${a}`, policy },
        );
        outcomes.push(r.ok ? "ok" : r.reason);
      }
    }
    // Past the budget each address had one guess left at most: 30 + 20.
    expect(outcomes.filter((o) => o === "invalid").length).toBeLessThanOrEqual(50);
    expect(outcomes.slice(-40).every((o) => o === "throttled")).toBe(true);
    expect(
      await verifyCredentials(other.db, { email: real.email, password: TEST_PASSWORD }, { address: "192.0.2.55", policy }),
    ).toMatchObject({ ok: true });
  }, 180_000);
});

describe("the throttle table", () => {
  it("slides: failures keep counting while they keep coming, not 15 minutes after the first", async () => {
    const policy = { freeFailures: 3, windowSeconds: 900, maxBlockSeconds: 60 };
    const key = "slide@example.test";
    // Ten minutes pass: the row's times move back, so no sleep (and no busy machine) decides the outcome.
    const tenMinutesPass = () =>
      t.db.execute(sql`update sign_in_throttle set first_failed_at = first_failed_at - interval '10 minutes',
        last_failed_at = last_failed_at - interval '10 minutes' where key = ${key}`);
    await recordSignInFailure(t.db, key, policy);
    await tenMinutesPass();
    await recordSignInFailure(t.db, key, policy);
    await tenMinutesPass();
    // 20 minutes after the first failure but 10 after the last: still the same run of failures.
    await recordSignInFailure(t.db, key, policy);
    expect(await getSignInBlock(t.db, key)).not.toBeNull();
  });

  it("prunes rows whose window and block are over", async () => {
    await t.db.execute(sql`insert into sign_in_throttle (key, failures, first_failed_at, last_failed_at, blocked_until)
      select 'stale-' || g || '@example.test', 3, now() - interval '3 days', now() - interval '3 days', now() - interval '2 days'
        from generate_series(1, 30) g`);
    await recordSignInFailure(t.db, "fresh@example.test", { freeFailures: 5, windowSeconds: 900, maxBlockSeconds: 900 });
    const stale = await t.db.execute<{ n: number }>(sql`select count(*)::int as n from sign_in_throttle where key like 'stale-%'`);
    expect(Number(stale.rows[0]!.n)).toBe(0);
  });
});
