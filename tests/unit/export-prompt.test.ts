import { describe, expect, it } from "vitest";
import {
  buildPrompt,
  detectLanguage,
  orderProfileKeys,
  promptId,
  renderProfile,
  renderPromptText,
  type ExportItem,
} from "@/lib/domain/export";

const wukong: ExportItem = {
  externalId: "rb-0001",
  character: {
    name: "孙悟空",
    profile: {
      // deliberately scrambled: the output order must not depend on it
      口头禅: ["俺老孙来也！", "吃俺老孙一棒！"],
      备注: "",
      背景: "花果山水帘洞美猴王，大闹天宫后被压五行山下。",
      说话风格: "豪爽直率，自称“俺老孙”。",
      性格: "桀骜不驯、重情重义",
      年龄: "五百余岁",
      性别: "男",
      姓名: "孙悟空",
      人物关系: { 师父: "唐僧", 师弟: ["猪八戒", "沙悟净"] },
      武器: "如意金箍棒",
    },
  },
  scene: "取经路上，白骨岭。",
  context: [{ role: "user", content: "大圣，你今天去哪儿了？🐒" }],
  language: "zh",
};

describe("profile rendering", () => {
  it("puts well-known attributes first, in a fixed order, then the rest by code point", () => {
    expect(orderProfileKeys(["zeta", "口头禅", "背景", "说话风格", "性格", "年龄", "性别", "姓名", "alpha"])).toEqual([
      "姓名",
      "性别",
      "年龄",
      "性格",
      "背景",
      "说话风格",
      "口头禅",
      "alpha",
      "zeta",
    ]);
    expect(orderProfileKeys(["catchphrases", "Speaking_Style", "background", "personality", "age", "gender", "name", "hobby"])).toEqual([
      "name",
      "gender",
      "age",
      "personality",
      "background",
      "Speaking_Style",
      "catchphrases",
      "hobby",
    ]);
  });

  it("renders Chinese profiles readably: lists joined, nested objects indented, empty values and the repeated name left out", () => {
    expect(renderProfile(wukong.character.profile, "zh", "孙悟空")).toBe(
      [
        "性别：男",
        "年龄：五百余岁",
        "性格：桀骜不驯、重情重义",
        "背景：花果山水帘洞美猴王，大闹天宫后被压五行山下。",
        "说话风格：豪爽直率，自称“俺老孙”。",
        "口头禅：俺老孙来也！、吃俺老孙一棒！",
        "人物关系：",
        "  师弟：猪八戒、沙悟净",
        "  师父：唐僧",
        "武器：如意金箍棒",
      ].join("\n"),
    );
  });

  it("keeps a profile name that differs from the character name, and renders English with ': '", () => {
    const text = renderProfile({ age: 36, name: "Mira Voss", catchphrases: ["Breathe, cadet.", "Hold the line."] }, "en", "Mira");
    expect(text).toBe("name: Mira Voss\nage: 36\ncatchphrases: Breathe, cadet.; Hold the line.");
  });

  it("gives the same text whatever the key insertion order", () => {
    const entries = Object.entries(wukong.character.profile);
    const reversed = Object.fromEntries([...entries].reverse());
    expect(renderProfile(reversed, "zh", "孙悟空")).toBe(renderProfile(wukong.character.profile, "zh", "孙悟空"));
  });
});

describe("buildPrompt", () => {
  it("builds one system message from profile and scene, then the dialogue, with Chinese text kept exactly", () => {
    const p = buildPrompt(wukong, "zh");
    expect(p.ok).toBe(true);
    if (!p.ok) return;
    expect(p.messages.map((m) => m.role)).toEqual(["system", "user"]);
    expect(p.messages[0]?.content.startsWith("角色：孙悟空\n性别：男\n")).toBe(true);
    expect(p.messages[0]?.content.endsWith("场景：\n取经路上，白骨岭。")).toBe(true);
    expect(p.messages[1]?.content).toBe("大圣，你今天去哪儿了？🐒");
    expect(p.greetingFolded).toBe(false);
  });

  it("merges consecutive same-role turns with a newline and only uses system/user/assistant", () => {
    const p = buildPrompt(
      {
        ...wukong,
        context: [
          { role: "user", content: "大圣！" },
          { role: "user", content: "等等我。" },
          { role: "assistant", content: "何事？" },
          { role: "assistant", content: "快说。" },
          { role: "user", content: "师父被妖怪抓走了！" },
        ],
      },
      "zh",
    );
    expect(p.ok && p.messages.slice(1)).toEqual([
      { role: "user", content: "大圣！\n等等我。" },
      { role: "assistant", content: "何事？\n快说。" },
      { role: "user", content: "师父被妖怪抓走了！" },
    ]);
    if (p.ok) {
      for (const m of p.messages) expect(["system", "user", "assistant"]).toContain(m.role);
      for (let i = 2; i < p.messages.length; i++) expect(p.messages[i]?.role).not.toBe(p.messages[i - 1]?.role);
    }
  });

  it("folds an opening greeting by the character into the system message and reports it", () => {
    const p = buildPrompt(
      {
        ...wukong,
        context: [
          { role: "assistant", content: "俺老孙来也！" },
          { role: "user", content: "大圣好！" },
        ],
      },
      "zh",
    );
    expect(p.ok).toBe(true);
    if (!p.ok) return;
    expect(p.greetingFolded).toBe(true);
    expect(p.messages.map((m) => m.role)).toEqual(["system", "user"]);
    expect(p.messages[0]?.content.endsWith("孙悟空的开场白：\n俺老孙来也！")).toBe(true);
    expect(p.firstUserTurn).toBe("大圣好！");
  });

  it("refuses a dialogue that does not end with the user turn being answered", () => {
    expect(buildPrompt({ ...wukong, context: [] }, "zh")).toEqual({ ok: false, reason: "empty_context" });
    expect(buildPrompt({ ...wukong, context: [{ role: "assistant", content: "hi" }] }, "zh")).toEqual({
      ok: false,
      reason: "empty_context",
    });
    expect(
      buildPrompt(
        {
          ...wukong,
          context: [
            { role: "user", content: "a" },
            { role: "assistant", content: "b" },
          ],
        },
        "zh",
      ),
    ).toEqual({ ok: false, reason: "ends_with_assistant" });
  });

  it("uses English labels for other languages and omits an empty scene", () => {
    const p = buildPrompt(
      {
        externalId: "x",
        character: { name: "Mira", profile: { gender: "female" } },
        scene: "  ",
        context: [{ role: "user", content: "Captain?" }],
      },
      "en",
    );
    expect(p.ok && p.messages[0]?.content).toBe("Character: Mira\ngender: female");
  });
});

describe("standard format and helpers", () => {
  it("renders the prompt as readable text ending with the speaker's name and no trailing space", () => {
    const p = buildPrompt(
      { ...wukong, context: [...wukong.context, { role: "assistant", content: "去天宫了。" }, { role: "user", content: "真的？" }] },
      "zh",
    );
    if (!p.ok) throw new Error("prompt");
    const text = renderPromptText(p.messages, "孙悟空", "zh");
    expect(text.endsWith("\n\n用户：大圣，你今天去哪儿了？🐒\n孙悟空：去天宫了。\n用户：真的？\n孙悟空：")).toBe(true);
    expect(text).toBe(text.trimEnd());
    const en = renderPromptText(
      [
        { role: "system", content: "S" },
        { role: "user", content: "Hi" },
      ],
      "Mira",
      "en",
    );
    expect(en).toBe("S\n\nUser: Hi\nMira:");
  });

  it("gives identical prompts the same prompt_id and different prompts different ones", () => {
    const a = [{ role: "user" as const, content: "你好" }];
    expect(promptId(a)).toMatch(/^[0-9a-f]{16}$/);
    expect(promptId(a)).toBe(promptId([{ role: "user", content: "你好" }]));
    expect(promptId(a)).not.toBe(promptId([{ role: "user", content: "你好！" }]));
  });

  it("detects the language of items without one", () => {
    expect(detectLanguage("大圣，你今天去哪儿了？")).toBe("zh");
    expect(detectLanguage("こんにちは、船長")).toBe("ja");
    expect(detectLanguage("선장님, 알겠습니다")).toBe("ko");
    expect(detectLanguage("Captain, the reactor!")).toBe("en");
  });
});
