/**
 * What a model is asked is what the trainer sees: for every demo item, the messages a
 * generation request sends (as the client puts them on the wire) are the very bytes of
 * the `prompt` field the DPO export writes for that item.
 */
import { describe, expect, it } from "vitest";
import { DEMO_CHARACTERS, DEMO_ITEMS } from "@/db/seed/demo-content";
import { buildTaskRows, resolvePolicy, toJsonLine, type ExportJudgment, type ExportTask } from "@/lib/domain/export";
import { promptMessages } from "@/lib/domain/generation/prompt";
import { ModelClient } from "@/lib/models/client";

const client = new ModelClient({
  name: "t",
  baseUrl: "http://127.0.0.1:9/v1",
  model: "m",
  apiKeyEnv: null,
  params: {},
  timeoutMs: 5000,
  isDemo: true,
  capabilities: null,
});
const vote = (i: number): ExportJudgment => ({
  annotatorKey: `a${i}`,
  strength: -2,
  bothUnacceptable: false,
  unsafe: {},
  state: "valid",
  excluded: false,
});

describe("generation prompt = DPO export prompt", () => {
  const characters = new Map(DEMO_CHARACTERS.map((c) => [c.key, c]));
  it.each(DEMO_ITEMS.map((item) => [item.externalId, item] as const))("%s", (_id, demo) => {
    const c = characters.get(demo.characterKey)!;
    const item = {
      externalId: demo.externalId,
      character: { name: c.name, profile: c.profile },
      scene: demo.scene ?? null,
      context: demo.context,
      language: c.language,
    };
    const task: ExportTask = {
      taskId: "t",
      itemId: "i",
      kind: "pairwise",
      scalePoints: 7,
      candidates: demo.candidates.slice(0, 2).map((x, i) => ({ id: `c${i}`, model: x.model, content: x.content })),
      item,
      judgments: [vote(1), vote(2), vote(3)],
      isGold: false,
    };
    const rows = buildTaskRows(task, resolvePolicy({ kind: "dpo" })).rows;
    expect(rows.length).toBeGreaterThan(0);
    const line = toJsonLine(rows[0]!);
    const sent = promptMessages(item);
    expect(sent.ok).toBe(true);
    const onTheWire = JSON.stringify(client.requestBody(sent.ok ? sent.messages : [], {}, true).messages);
    expect(line).toContain(`"prompt":${onTheWire},`);
    expect(JSON.stringify(JSON.parse(line).prompt)).toBe(onTheWire);
  });
});
