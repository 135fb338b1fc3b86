import { eq } from "drizzle-orm";
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { auditLog, characters } from "@/db/schema";
import type { Role } from "@/lib/auth/permissions";
import { CARD_META_KEY } from "@/lib/domain/character-card";
import { importCharacterCards } from "@/lib/services/characters";
import type { Actor } from "@/lib/services/context";
import { actorOf, makeUser } from "../factories";
import { jsonBytes, pngCard, v2Card, v3Card } from "../factories/character-cards";
import { failure } from "./helpers/failure";
import { useTestDatabase, type TestDatabase } from "./helpers/db";

let t: TestDatabase;
const actors = {} as Record<Role, Actor>;

beforeAll(async () => {
  t = await useTestDatabase();
  for (const role of ["annotator", "researcher", "lead"] as const) {
    const u = await makeUser(t.db, { role });
    actors[role] = actorOf(u);
  }
});

const ctx = (role: Role = "researcher") => ({ db: t.db, actor: actors[role] });

const refusal = failure;

describe("importing character cards", () => {
  it("imports a JSON V2, a PNG V2 and a PNG V3 card as characters, and re-importing changes nothing", async () => {
    const files = [
      { name: "mara.json", bytes: jsonBytes(v2Card()) },
      { name: "mara-copy.png", bytes: pngCard(v2Card({ name: "Mara (PNG)" })) },
      { name: "lin-wan.png", bytes: pngCard(v3Card()) },
    ];
    const first = await importCharacterCards(ctx(), { files });
    expect(first.characters.map((c) => [c.file, c.name, c.status, c.spec, c.source])).toEqual([
      ["mara.json", "Captain Mara Voss", "created", "chara_card_v2", "json"],
      ["mara-copy.png", "Mara (PNG)", "created", "chara_card_v2", "png:chara"],
      ["lin-wan.png", "林晚", "created", "chara_card_v3", "png:ccv3"],
    ]);
    const [stored] = await t.db.select().from(characters).where(eq(characters.id, first.characters[2]!.id));
    expect(stored!.profile.Nickname).toBe("晚晚");
    expect(stored!.profile.Scenario).toBe("雨夜，用户走进书店避雨。");
    expect(stored!.profile[CARD_META_KEY]).toMatchObject({ spec: "chara_card_v3", spec_version: "3.0" });
    // json keeps the card's key order
    expect(Object.keys(stored!.profile).slice(0, 3)).toEqual(["Nickname", "Description", "Personality"]);

    const again = await importCharacterCards(ctx(), { files });
    expect(again.characters.map((c) => [c.status, c.id])).toEqual(first.characters.map((c) => ["unchanged", c.id]));
    const audit = await t.db.select().from(auditLog).where(eq(auditLog.action, "character.import_card"));
    expect(audit).toHaveLength(3);
  });

  it("refuses the whole upload when one card is malformed, naming the file and the field", async () => {
    const before = (await t.db.select({ id: characters.id }).from(characters)).length;
    const error = await refusal(
      importCharacterCards(ctx(), {
        files: [
          { name: "good.json", bytes: jsonBytes(v2Card({ name: "Good card" })) },
          { name: "broken.json", bytes: jsonBytes(v2Card({ tags: ["ok", { no: 1 }] })) },
        ],
      }),
    );
    expect(error.code).toBe("VALIDATION");
    expect(error.message).toBe("broken.json: data.tags.1: must be a string (got object)");
    expect(error.fields).toEqual({ "broken.json: data.tags.1": ["must be a string (got object)"] });
    expect((await t.db.select({ id: characters.id }).from(characters)).length).toBe(before);

    const png = await refusal(importCharacterCards(ctx(), { files: [{ name: "plain.png", bytes: pngCard(v2Card()).subarray(0, 40) }] }));
    expect(png.message).toMatch(/^plain\.png: png: the PNG is truncated/);
  });

  it("uses the given name for {{user}}", async () => {
    const {
      characters: [c],
    } = await importCharacterCards(ctx(), {
      files: [{ name: "named.json", bytes: jsonBytes(v2Card({ name: "Named Mara" })) }],
      userName: "Alex",
    });
    const [row] = await t.db.select().from(characters).where(eq(characters.id, c!.id));
    expect(row!.profile.Scenario).toBe("Alex has stowed away aboard the Kestrel.");
  });

  it("refuses the wrong role", async () => {
    const error = await refusal(importCharacterCards(ctx("annotator"), { files: [{ name: "a.json", bytes: jsonBytes(v2Card()) }] }));
    expect(error.code).toBe("FORBIDDEN");
  });

  it("imports from the command line, all or nothing, with a non-zero exit on a bad card", () => {
    const dir = mkdtempSync(join(tmpdir(), "cards-"));
    const good = join(dir, "cli-card.png");
    const bad = join(dir, "bad.json");
    writeFileSync(good, pngCard(v2Card({ name: "CLI Mara" })));
    writeFileSync(bad, JSON.stringify({ spec: "chara_card_v2", data: { name: 7 } }));
    const run = (...args: string[]) =>
      spawnSync("npx", ["tsx", "scripts/characters-import.ts", ...args], {
        env: { ...process.env, DATABASE_URL: t.url },
        encoding: "utf8",
      });
    const refused = run(good, bad);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain("bad.json: data.name: must be a string (got number)");
    const ok = run(good);
    expect(ok.status, ok.stderr).toBe(0);
    expect(ok.stdout).toContain("cli-card.png: created character");
    expect(ok.stdout).toContain("1 created, 0 unchanged");
  }, 60_000);
});
