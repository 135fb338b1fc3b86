import { describe, expect, it } from "vitest";
import { planGeneratedTasks, progressOf, retryDelayMs, sampleSeed } from "@/lib/domain/generation/plan";
import { DEMO_MODELS, demoReply, readPersona, tokenize } from "@/lib/models/demo-model";

const rules = { mode: "pairwise" as const, pairing: "all_pairs" as const, scalePoints: 7 as const, allowRankingTies: false };
const c = (id: number, content: string, model = `m${id}`) => ({ id, model, content });

describe("tasks of a generated item", () => {
  it("plans as the import does, over canonical order", () => {
    expect(planGeneratedTasks([c(1, "a"), c(2, "b")], [], null, rules, 3)).toEqual([
      { kind: "pairwise", candidateIds: [1, 2], overlap: 3, gold: null },
    ]);
    expect(planGeneratedTasks([c(1, "a"), c(2, "b"), c(3, "c")], [], null, rules, 3).map((t) => t.candidateIds)).toEqual([
      [1, 2],
      [1, 3],
      [2, 3],
    ]);
    expect(planGeneratedTasks([c(1, "a"), c(2, "b"), c(3, "c")], [], null, { ...rules, mode: "ranking" }, 2)).toEqual([
      { kind: "ranking", candidateIds: [1, 2, 3], overlap: 2, gold: null },
    ]);
  });
  it("waits for two distinct replies and skips tasks the item has", () => {
    expect(planGeneratedTasks([c(1, "a")], [], null, rules, 3)).toEqual([]);
    expect(planGeneratedTasks([c(1, "same"), c(2, " same ")], [], null, rules, 3)).toEqual([]);
    expect(planGeneratedTasks([c(1, "a"), c(2, "b"), c(3, "c")], [[1, 2]], null, rules, 3).map((t) => t.candidateIds)).toEqual([
      [1, 3],
      [2, 3],
    ]);
  });
  it("keeps a gold answer only while the candidate list is the imported one", () => {
    const gold = { strength: -2, accept: [-3, -2] };
    expect(planGeneratedTasks([c(1, "a"), c(2, "b")], [], gold, rules, 3)[0]).toMatchObject({ gold, overlap: 1000 });
    expect(planGeneratedTasks([c(1, "a"), c(2, "a"), c(3, "b")], [], gold, rules, 3)[0]!.gold).toBeNull();
  });
});

describe("seeds, back-off, progress", () => {
  it("gives each sample a stable seed", () => {
    expect(sampleSeed("x", 0)).toBe(sampleSeed("x", 0));
    expect(sampleSeed("x", 0)).not.toBe(sampleSeed("x", 1));
    expect(sampleSeed("x", 2, 100)).toBe(102);
    expect(sampleSeed("y", 0)).toBeLessThan(2 ** 31);
  });
  it("honours Retry-After, otherwise backs off exponentially with jitter", () => {
    expect(retryDelayMs(1, 7000, () => 0.5)).toBe(7000);
    expect(retryDelayMs(1, 10 ** 9, () => 0.5)).toBe(3_600_000);
    expect(retryDelayMs(1, undefined, () => 0.5)).toBe(2000);
    expect(retryDelayMs(2, undefined, () => 0.5)).toBe(8000);
    expect(retryDelayMs(9, undefined, () => 0.5)).toBe(300_000);
    expect(retryDelayMs(1, undefined, () => 0)).toBe(1600);
  });
  it("computes share, rate and ETA", () => {
    expect(progressOf({ total: 100, done: 40, failed: 10, cancelled: 0, pending: 50 }, { finished: 20, windowSeconds: 10 })).toMatchObject({
      fraction: 0.5,
      ratePerSecond: 2,
      etaSeconds: 25,
    });
    expect(progressOf({ total: 0, done: 0, failed: 0, cancelled: 0, pending: 0 }, { finished: 0, windowSeconds: 30 })).toMatchObject({
      fraction: 1,
      ratePerSecond: null,
      etaSeconds: 0,
    });
    expect(
      progressOf({ total: 10, done: 0, failed: 0, cancelled: 0, pending: 10 }, { finished: 0, windowSeconds: 30 }).etaSeconds,
    ).toBeNull();
  });
});

describe("demo models", () => {
  const zh = [
    { role: "system", content: "角色：孙悟空\n性格：桀骜不驯、重情重义\n口头禅：俺老孙来也、吃俺老孙一棒" },
    { role: "user", content: "大圣，你今天去哪儿了？" },
  ];
  it("read the card the prompt builder writes", () => {
    expect(readPersona(zh)).toMatchObject({
      name: "孙悟空",
      chinese: true,
      catchphrases: ["俺老孙来也", "吃俺老孙一棒"],
      lastUser: "大圣，你今天去哪儿了？",
    });
  });
  it("are deterministic by seed and differ across seeds and models", () => {
    for (const m of DEMO_MODELS) expect(demoReply(m, zh, 7)).toBe(demoReply(m, zh, 7));
    const strong = new Set(Array.from({ length: 20 }, (_, s) => demoReply("arbiter-demo-strong", zh, s)));
    expect(strong.size).toBeGreaterThan(5);
    expect(demoReply("arbiter-demo-strong", zh, 1)).not.toBe(demoReply("arbiter-demo-weak", zh, 1));
  });
  it("the strong one stays in character (catchphrase, Chinese); the weak one often breaks it", () => {
    const strong = Array.from({ length: 20 }, (_, s) => demoReply("arbiter-demo-strong", zh, s));
    expect(strong.every((r) => /俺老孙/.test(r) && !/AI|人工智能|语言模型/.test(r))).toBe(true);
    const weak = Array.from({ length: 40 }, (_, s) => demoReply("arbiter-demo-weak", zh, s));
    expect(weak.filter((r) => /人工智能|语言模型|建议您/.test(r)).length).toBeGreaterThan(5);
  });
  it("tokenize losslessly", () => {
    for (const text of ["你好，世界 hello there!", "  spaced  out ", "", "a"]) expect(tokenize(text).join("")).toBe(text);
  });
});
