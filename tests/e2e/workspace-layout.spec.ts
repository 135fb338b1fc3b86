import { expect, test, type Page } from "@playwright/test";
import { createProject, importLines, longLine } from "./long-task";
import { switchLanguage } from "./pages/language-switch";
import { SignInPage } from "./pages/sign-in-page";
import { WorkspacePage } from "./pages/workspace-page";

/**
 * The one-screen rule: for a long role-play task (a full persona, a six-turn dialogue,
 * replies of 150 words), the annotator sees the last user turn, every reply's text box and
 * the decision bar without scrolling the page, at 1366×768 and at 1920×1080.
 */

test.beforeAll(async ({ browser }) => {
  await createProject("layout-pair", {
    mode: "pairwise",
    overlap: 1,
    goldRatio: 0,
    dimensions: ["fluency", "coherence", "consistency", "empathy"],
    rationale: "optional",
  });
  await createProject("layout-rank", { mode: "ranking", overlap: 1, goldRatio: 0, rationale: "optional", allowRankingTies: true });
  for (const [slug, replies] of [
    ["layout-pair", 2],
    ["layout-rank", 3],
  ] as const) {
    await importLines(
      browser,
      slug,
      Array.from({ length: 4 }, (_, i) => longLine(`${slug}-${i}`, replies)),
    );
  }
});

/** Boxes (in viewport coordinates) of everything the rule names, and whether the page scrolls. */
async function measure(page: Page) {
  return page.evaluate(() => {
    const box = (el: Element | null) => {
      if (!el) return null;
      const r = el.getBoundingClientRect();
      return { top: r.top, bottom: r.bottom, left: r.left, right: r.right };
    };
    const pane = document.querySelector(".dialogue-pane");
    const bubbles = document.querySelectorAll(".dialogue-pane .bubble");
    const last = bubbles[bubbles.length - 1] ?? null;
    return {
      viewport: { width: window.innerWidth, height: window.innerHeight },
      pageScrolls: document.documentElement.scrollHeight > window.innerHeight + 1,
      replies: [...document.querySelectorAll(".candidate .reply-text")].map(box),
      decision: box(document.querySelector(".decision-bar")),
      submit: box(document.querySelector(".decision-actions .btn-primary")),
      pane: box(pane),
      lastTurn: box(last),
      lastTurnText: last?.textContent ?? "",
    };
  });
}

type Box = { top: number; bottom: number; left: number; right: number } | null;
function expectInside(what: string, b: Box, outer: { top: number; bottom: number; left: number; right: number }) {
  expect(b, what).not.toBeNull();
  expect(b!.top, `${what} top`).toBeGreaterThanOrEqual(outer.top - 1);
  expect(b!.bottom, `${what} bottom`).toBeLessThanOrEqual(outer.bottom + 1);
  expect(b!.left, `${what} left`).toBeGreaterThanOrEqual(outer.left - 1);
  expect(b!.right, `${what} right`).toBeLessThanOrEqual(outer.right + 1);
}

for (const size of [
  { width: 1366, height: 768 },
  { width: 1920, height: 1080 },
]) {
  for (const [slug, replies] of [
    ["layout-pair", 2],
    ["layout-rank", 3],
  ] as const) {
    test(`one screen per task at ${size.width}×${size.height}: ${slug}`, async ({ page }) => {
      await page.setViewportSize(size);
      await new SignInPage(page).signInAs("annotator2");
      await switchLanguage(page, "English");
      const workspace = new WorkspacePage(page);
      await workspace.open(slug);
      await expect(page.getByRole("complementary", { name: "Persona" })).toContainText("Captain Mara Voss");
      const m = await measure(page);
      const viewport = { top: 0, left: 0, bottom: m.viewport.height, right: m.viewport.width };
      expect(m.pageScrolls, "the page itself must not scroll").toBe(false);
      expect(m.replies).toHaveLength(replies);
      m.replies.forEach((r, i) => expectInside(`reply ${i} text box`, r, viewport));
      expectInside("decision bar", m.decision, viewport);
      expectInside("submit button", m.submit, viewport);
      // The dialogue pane opens at its end: the last user turn is in view inside it.
      expect(m.lastTurnText).toContain("LAST USER TURN");
      expectInside("last user turn", m.lastTurn, { ...m.pane!, top: Math.max(0, m.pane!.top) });
      expectInside("dialogue pane", m.pane, viewport);
      if (slug === "layout-pair") {
        // Four rating dimensions: ratings and flags are folded away, one click opens them.
        const extras = page.getByRole("article", { name: "Reply A" }).locator("details.reply-extras");
        await expect(extras).not.toHaveAttribute("open", "");
        await extras.locator("summary").click();
        await expect(page.getByRole("radiogroup", { name: "Fluency (A)" })).toBeVisible();
      }
    });
  }
}

test("the persona panel folds away and stays folded for this annotator; narrow screens stack", async ({ page }) => {
  await page.setViewportSize({ width: 1366, height: 768 });
  await new SignInPage(page).signInAs("annotator2");
  const workspace = new WorkspacePage(page);
  await workspace.open("layout-pair");
  const persona = page.getByRole("complementary", { name: "Persona" });
  await persona.getByRole("button", { name: /Hide the persona/ }).click();
  await expect(persona.getByRole("button", { name: /Show the persona/ })).toHaveAttribute("aria-expanded", "false");
  await page.reload();
  await workspace.waitForTask();
  await expect(persona.getByRole("button", { name: /Show the persona/ })).toBeVisible();
  // P toggles it from the keyboard.
  await page.locator("body").click({ position: { x: 2, y: 2 } });
  await workspace.press("p");
  await expect(persona.getByRole("button", { name: /Hide the persona/ })).toHaveAttribute("aria-expanded", "true");

  // A phone-sized window stacks persona, dialogue, replies and decision bar in one column.
  await page.setViewportSize({ width: 420, height: 860 });
  const boxes = await page.evaluate(() =>
    [".persona-panel", ".dialogue-pane", ".candidate", ".decision-bar"].map((s) => document.querySelector(s)!.getBoundingClientRect().top),
  );
  expect([...boxes].sort((a, b) => a - b)).toEqual(boxes);
});

test("? lists the shortcuts in both languages; the task number is a plain label", async ({ page }) => {
  await page.setViewportSize({ width: 1366, height: 768 });
  await new SignInPage(page).signInAs("annotator2");
  for (const [button, title, submit] of [
    ["简体中文", "键盘快捷键", "提交答案"],
    ["English", "Keyboard shortcuts", "Submit the answer"],
  ] as const) {
    await switchLanguage(page, button);
    await page.goto("/annotate/layout-pair");
    await expect(page.getByTestId("task-label")).toHaveText(/#\d+/);
    await expect(page.getByRole("heading", { name: /#\d+/ })).toHaveCount(0);
    await page.locator("body").click({ position: { x: 2, y: 2 } });
    await page.keyboard.press("?");
    const dialog = page.getByRole("dialog", { name: title });
    await expect(dialog).toBeVisible();
    await expect(dialog.getByRole("row", { name: new RegExp(`Enter.*${submit}`) })).toBeVisible();
    await page.keyboard.press("Escape");
    await expect(dialog).toHaveCount(0);
  }
});
