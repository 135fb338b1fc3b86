import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  assignSplit,
  buildExportInMemory,
  buildPrompt,
  conversationKey,
  splitBucket,
  type ExportContextTurn,
  type ExportItem,
  type ExportTask,
} from "@/lib/domain/export";

/** Split of an item as the exporter computes it. */
function splitOf(item: ExportItem, salt: string, testPercent: number): string {
  const p = buildPrompt(item, "zh");
  if (!p.ok) throw new Error("bad prompt");
  return assignSplit(conversationKey(item.character.name, p.firstUserTurn), salt, testPercent);
}

const text = fc.string({ minLength: 1, maxLength: 20 });
/** A dialogue ending with a user turn, optionally opening with a character greeting. */
const dialogue = fc
  .tuple(fc.option(text, { nil: undefined }), fc.array(fc.tuple(text, text), { maxLength: 4 }), text)
  .map(([greeting, exchanges, last]) => {
    const turns: ExportContextTurn[] = [];
    if (greeting !== undefined) turns.push({ role: "assistant", content: greeting });
    for (const [u, a] of exchanges) turns.push({ role: "user", content: u }, { role: "assistant", content: a });
    turns.push({ role: "user", content: last });
    return turns;
  });
/** What a longer dialogue adds: the reply to the last user turn, then more turns ending with the user. */
const extension = fc.array(fc.tuple(text, text), { minLength: 1, maxLength: 4 }).map((pairs) =>
  pairs.flatMap(([a, u]): ExportContextTurn[] => [
    { role: "assistant", content: a },
    { role: "user", content: u },
  ]),
);

describe("train/test split", () => {
  it("follows sha256(salt + key) mod 100, as reproduced in Python", () => {
    // int(hashlib.sha256((salt + name + "\x1f" + first).encode()).hexdigest(), 16) % 100
    expect(splitBucket("", conversationKey("孙悟空", "大圣，你今天去哪儿了？"))).toBe(66);
    expect(splitBucket("seed-42", conversationKey("Captain Mira", "The reactor is failing!"))).toBe(17);
    expect(assignSplit(conversationKey("Captain Mira", "The reactor is failing!"), "seed-42", 18)).toBe("test");
    expect(assignSplit(conversationKey("Captain Mira", "The reactor is failing!"), "seed-42", 17)).toBe("train");
  });

  it("sends nothing to test at 0% and everything at 100%, and about testPercent otherwise", () => {
    const keys = Array.from({ length: 2000 }, (_, i) => conversationKey("角色", `第${i}句`));
    expect(keys.every((k) => assignSplit(k, "s", 0) === "train")).toBe(true);
    expect(keys.every((k) => assignSplit(k, "s", 100) === "test")).toBe(true);
    const test = keys.filter((k) => assignSplit(k, "s", 10) === "test").length;
    expect(test).toBeGreaterThan(140);
    expect(test).toBeLessThan(260);
  });

  it("depends on the salt", () => {
    const keys = Array.from({ length: 200 }, (_, i) => conversationKey("c", String(i)));
    const a = keys.map((k) => assignSplit(k, "seed-a", 50));
    const b = keys.map((k) => assignSplit(k, "seed-b", 50));
    expect(a).not.toEqual(b);
  });

  it("puts a dialogue and any dialogue extending it in the same split (property)", () => {
    fc.assert(
      fc.property(dialogue, extension, fc.string({ maxLength: 8 }), fc.integer({ min: 0, max: 100 }), (base, more, salt, pct) => {
        const short: ExportItem = { externalId: "s", character: { name: "孙悟空", profile: { 性别: "男" } }, context: base };
        const long: ExportItem = { ...short, externalId: "l", context: [...base, ...more] };
        expect(splitOf(long, salt, pct)).toBe(splitOf(short, salt, pct));
      }),
      { numRuns: 300 },
    );
  });

  it("never puts one prompt, or one conversation, in both files of an export", () => {
    const judgments = [-2, -3].map((s, i) => ({
      annotatorKey: `a${i}`,
      strength: s,
      bothUnacceptable: false,
      unsafe: {},
      state: "valid" as const,
      excluded: false,
    }));
    const tasks: ExportTask[] = [];
    for (let c = 0; c < 40; c++) {
      const first = `第${c}个问题`;
      // the same conversation at two depths, as two items
      for (const [d, context] of [
        [0, [{ role: "user" as const, content: first }]],
        [
          1,
          [
            { role: "user" as const, content: first },
            { role: "assistant" as const, content: "嗯。" },
            { role: "user" as const, content: "然后呢？" },
          ],
        ],
      ] as const) {
        tasks.push({
          taskId: `t${c}-${d}`,
          itemId: `i${c}-${d}`,
          kind: "pairwise",
          scalePoints: 7,
          candidates: [
            { id: `a${c}${d}`, model: "m1", content: `好回复 ${c}-${d}` },
            { id: `b${c}${d}`, model: "m2", content: `差回复 ${c}-${d}` },
          ],
          item: { externalId: `x${c}-${d}`, character: { name: "孙悟空", profile: {} }, context: [...context] },
          judgments,
          isGold: false,
        });
      }
    }
    const out = buildExportInMemory(tasks, { testPercent: 30, salt: "s1" });
    expect(out.train.length).toBeGreaterThan(0);
    expect(out.test.length).toBeGreaterThan(0);
    const firstTurn = (r: { prompt: unknown }) => JSON.stringify((r.prompt as { content: string }[])[1]);
    const trainConvs = new Set(out.train.map(firstTurn));
    for (const r of out.test) expect(trainConvs.has(firstTurn(r))).toBe(false);
  });
});
