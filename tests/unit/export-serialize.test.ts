import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  referenceJsonLine,
  buildExportInMemory,
  buildTaskRows,
  compareCodePoints,
  jsonLinePieces,
  JsonText,
  resolvePolicy,
  compareTasks,
  renderJsonl,
  sha256Hex,
  toJsonLine,
  type ExportJudgment,
  type ExportPolicyInput,
  type ExportTask,
} from "@/lib/domain/export";

function judgment(i: number, strength: number | null, ranks?: number[]): ExportJudgment {
  return { annotatorKey: `a${i}`, strength, ranks: ranks ?? null, bothUnacceptable: false, unsafe: {}, state: "valid", excluded: false };
}

function tasks(): ExportTask[] {
  const out: ExportTask[] = [];
  for (let i = 0; i < 12; i++) {
    const ranking = i % 4 === 3;
    out.push({
      taskId: `task-${i}`,
      itemId: `item-${i}`,
      kind: ranking ? "ranking" : "pairwise",
      scalePoints: 7,
      candidates: (ranking ? [0, 1, 2] : [0, 1]).map((c) => ({ id: `c${i}-${c}`, model: `model-${c}`, content: `回复${c}：第${i}题 ✨` })),
      item: {
        externalId: `ext-${String(i).padStart(3, "0")}`,
        character: { name: i % 2 ? "佟湘玉" : "Captain Mira", profile: { 性格: "精明", age: 27, 口头禅: ["额滴神啊"] } },
        scene: i % 3 ? undefined : "同福客栈",
        context: [{ role: "user", content: `问题 ${i}` }],
      },
      judgments: ranking
        ? [judgment(1, null, [1, 2, 3]), judgment(2, null, [1, 3, 2]), judgment(3, null, [1, 2, 3])]
        : [judgment(1, (i % 7) - 3), judgment(2, (i % 7) - 3), judgment(3, i % 5 === 0 ? 0 : (i % 7) - 3)],
      isGold: false,
    });
  }
  return out;
}

describe("JSON lines", () => {
  it("writes a fixed key order whatever the insertion order, with role before content", () => {
    const a = toJsonLine({ language: "zh", prompt: [{ content: "你好", role: "user" }], id: "x", chosen: "c", rejected: "r" });
    const b = toJsonLine({ rejected: "r", chosen: "c", id: "x", prompt: [{ role: "user", content: "你好" }], language: "zh" });
    expect(a).toBe(b);
    expect(a).toBe('{"prompt":[{"role":"user","content":"你好"}],"chosen":"c","rejected":"r","id":"x","language":"zh"}');
  });

  it("keeps non-ASCII text raw and round-trips it exactly", () => {
    const text = "佟湘玉：额滴神啊～ “引号” 🐒 e\u0301 \u2028";
    const line = toJsonLine({ prompt: text, chosen: "a", rejected: "b" });
    expect(line).toContain("佟湘玉：额滴神啊～ “引号” 🐒");
    expect(line).not.toContain("\\u4f5f");
    expect(JSON.parse(line).prompt).toBe(text);
  });

  it("refuses null, undefined and non-finite values", () => {
    expect(() => toJsonLine({ prompt: "p", strength: null })).toThrow(/strength/);
    expect(() => toJsonLine({ prompt: "p", margin: Number.NaN })).toThrow(/margin/);
    expect(() => toJsonLine({ prompt: [{ role: "user", content: undefined }] })).toThrow(/content/);
  });

  it("writes exactly the bytes of the reference definition, or throws as it does", () => {
    const text = fc.string({ unit: "grapheme-composite", maxLength: 40 });
    const message = fc.record({ role: fc.constantFrom("system", "user", "assistant"), content: text });
    const scalar = fc.oneof(text, fc.double(), fc.integer(), fc.boolean(), fc.constantFrom(null, undefined, -0, Number.NaN));
    const value = fc.oneof(
      scalar,
      fc.array(message, { maxLength: 4 }),
      fc.array(fc.oneof(text, fc.array(message, { maxLength: 2 })), { maxLength: 3 }),
      fc.dictionary(fc.oneof(text, fc.constantFrom("0", "10", "9", "__proto__", "role", "content")), scalar, { maxKeys: 3 }),
      fc.record({ content: text, role: text }),
    );
    const key = fc.oneof(
      fc.constantFrom("prompt", "chosen", "rejected", "margin", "id", "strength", "language", "zz", "1", "__proto__"),
      text,
    );
    const outcome = (f: () => string) => {
      try {
        return { line: f() };
      } catch (error) {
        return { error: (error as Error).message };
      }
    };
    fc.assert(
      fc.property(fc.array(fc.tuple(key, value), { maxLength: 8 }), (entries) => {
        const row: Record<string, unknown> = {};
        for (const [k, v] of entries) Object.defineProperty(row, k, { value: v, enumerable: true, configurable: true, writable: true });
        expect(outcome(() => toJsonLine(row))).toEqual(outcome(() => referenceJsonLine(row)));
      }),
      { numRuns: 2000 },
    );
    // Rows of one shape in a row use the cached column order; a new insertion order is a new shape.
    const a = { prompt: "p", id: "1", chosen: "c" };
    const b = { chosen: "c", prompt: "p", id: "1" };
    for (let i = 0; i < 3; i++) {
      expect(toJsonLine(a)).toBe(referenceJsonLine(a));
      expect(toJsonLine(b)).toBe(referenceJsonLine(b));
    }
  });

  it("renders a file as lines ended by \\n", () => {
    expect(renderJsonl([{ id: "a" }, { id: "b" }])).toBe('{"id":"a"}\n{"id":"b"}\n');
    expect(renderJsonl([])).toBe("");
    expect(sha256Hex("")).toBe("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  });
});

describe("reply texts as JSON bytes (JsonText)", () => {
  const text = fc.string({ unit: "grapheme", maxLength: 30 }).map((s) => s.replace(/[\ud800-\udfff]/gu, "\ufffd"));
  const bytesOf = (pieces: (string | Uint8Array)[]) =>
    Buffer.concat(pieces.map((p) => (typeof p === "string" ? Buffer.from(p, "utf8") : p)));

  it("a row holding JsonText gives the bytes of the same row holding the strings (pieces, toJsonLine, reference)", () => {
    fc.assert(
      fc.property(fc.array(text, { minLength: 2, maxLength: 4 }), fc.boolean(), (replies, conversational) => {
        const field = (s: string, json: boolean) => {
          const v = json ? JsonText.of(s) : s;
          return conversational ? [{ role: "assistant", content: v }] : v;
        };
        const row = (json: boolean) => ({
          prompt: [{ role: "user", content: replies[0]! }],
          chosen: field(replies[0]!, json),
          rejected: field(replies[1]!, json),
          responses: replies.map((r) => field(r, json)),
          id: "1/2>3",
          strength: 1.5,
        });
        const plain = toJsonLine(row(false));
        expect(plain).toBe(referenceJsonLine(row(false)));
        expect(toJsonLine(row(true))).toBe(plain);
        expect(referenceJsonLine(row(true))).toBe(plain);
        expect(bytesOf(jsonLinePieces(row(true))).equals(Buffer.from(plain, "utf8"))).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it("decodes its text lazily and compares by bytes", () => {
    const a = new JsonText(Buffer.from(JSON.stringify("孙悟空\n\u2028😀"), "utf8"));
    expect(a.text).toBe("孙悟空\n\u2028😀");
    expect(a.equals(JsonText.of("孙悟空\n\u2028😀"))).toBe(true);
    expect(a.equals(JsonText.of("孙悟空"))).toBe(false);
    expect(JSON.stringify({ a })).toBe(JSON.stringify({ a: a.text }));
  });

  it("rows built from candidates with JSON bytes serialise like rows from plain strings", () => {
    for (const kind of ["dpo", "rm", "kto"] as const) {
      for (const format of ["conversational", "standard"] as const) {
        const policy = resolvePolicy({ kind, format, safetyPairs: true });
        for (const task of tasks()) {
          const withBytes = { ...task, candidates: task.candidates.map((c) => ({ ...c, contentJson: JsonText.of(c.content) })) };
          const plain = buildTaskRows(task, policy);
          const bytes = buildTaskRows(withBytes, policy);
          expect(bytes.rows.map((r) => toJsonLine(r))).toEqual(plain.rows.map((r) => toJsonLine(r)));
          expect(bytes.ties.map((r) => bytesOf(jsonLinePieces(r)).toString("utf8"))).toEqual(plain.ties.map((r) => toJsonLine(r)));
          expect(bytes.pairDrops).toEqual(plain.pairDrops);
        }
      }
    }
  });
});

describe("determinism", () => {
  const policies: ExportPolicyInput[] = [
    { kind: "dpo" },
    { kind: "rm", marginScale: "large", testPercent: 40, salt: "x" },
    { kind: "kto", format: "standard" },
  ];

  it("gives byte-identical files for the same input, in any task order", () => {
    for (const policy of policies) {
      const first = buildExportInMemory(tasks(), policy);
      const again = buildExportInMemory(tasks(), policy);
      const shuffled = buildExportInMemory([...tasks()].reverse(), policy);
      expect(first.files.length).toBeGreaterThan(0);
      expect(again.files).toEqual(first.files);
      expect(shuffled.files).toEqual(first.files);
      expect(shuffled.counts).toEqual(first.counts);
      for (const f of first.files) expect(f.sha256).toBe(sha256Hex(f.content));
    }
  });

  it("orders tasks by item external id, then task id, by code point", () => {
    const t = (ext: string, id: string) => ({ taskId: id, item: { externalId: ext } }) as ExportTask;
    const sorted = [t("b", "1"), t("a", "2"), t("a", "10"), t("\u{1F600}", "1"), t("\uFF21", "1")].sort(compareTasks);
    expect(sorted.map((x) => `${x.item.externalId}/${x.taskId}`)).toEqual(["a/10", "a/2", "b/1", "\uFF21/1", "\u{1F600}/1"]);
    // code-point (UTF-8 byte) order, unlike UTF-16 code unit order
    expect(compareCodePoints("\u{1F600}", "\uFF21")).toBe(1);
    expect("\u{1F600}" < "\uFF21").toBe(true);
  });
});
