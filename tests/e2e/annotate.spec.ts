import { expect, test, type Page } from "@playwright/test";
import { queryAppDb as query } from "./db";
import { switchLanguage } from "./pages/language-switch";
import { SignInPage } from "./pages/sign-in-page";
import { WorkspacePage } from "./pages/workspace-page";

/** What the app stored, read straight from its database. */

type Stored = {
  task_id: string;
  strength: number | null;
  ranks: number[] | null;
  display_order: number[];
  state: string;
  supersedes_id: string | null;
  seconds: number | null;
};

async function storedJudgments(email: string): Promise<Stored[]> {
  return query<Stored>(
    `select j.task_id, j.strength, j.ranks, j.display_order, j.state, j.supersedes_id, j.seconds
       from judgments j join users u on u.id = j.annotator_id where u.email = $1 order by j.id`,
    [email],
  );
}

const setLanguage = switchLanguage;

async function annotateFlow(page: Page, who: "annotator" | "annotator3", email: string, lang: "en" | "zh") {
  const zh = lang === "zh";
  const text = zh
    ? { reply: (l: string) => `回复 ${l}`, saved: /已保存|已跳过/, skip: "跳过任务" }
    : { reply: (l: string) => `Reply ${l}`, saved: /Saved|Skipped/, skip: "Skip task" };
  await new SignInPage(page).signInAs(who);
  await setLanguage(page, zh ? "简体中文" : "English");
  const workspace = new WorkspacePage(page, text);

  // From the home page into the pairwise project.
  await page.getByRole("link", { name: /Demo pairwise/ }).click();
  await workspace.waitForTask();
  // Model names never reach the annotator.
  for (const model of ["roleplay-7b-dpo", "roleplay-7b-sft", "generic-chat-13b", "baseline-4b"]) {
    await expect(page.getByText(model)).toHaveCount(0);
  }

  // Ten pairwise tasks by keyboard alone: digits 2, 3, 5, 6 (never the strongest points,
  // which this project makes explain in a rationale).
  const digits = ["2", "3", "5", "6", "2", "3", "5", "6", "2", "3"];
  const answered: { taskId: number; digit: string }[] = [];
  for (const digit of digits) answered.push({ taskId: await workspace.answerByKeyboard(digit), digit });

  // Skip one with S, Tab to the confirm button, Enter.
  const skippedTask = await workspace.taskId();
  await workspace.press("s");
  await expect(page.getByRole("dialog")).toBeVisible();
  await workspace.press("Tab", "Tab", "Enter");
  await expect.poll(async () => workspace.taskId()).not.toBe(skippedTask);

  // One ranking task: focus the third reply (3), move it to the top (Alt+↑ twice), Enter.
  await page.goto("/annotate/demo-ranking");
  await workspace.waitForTask();
  const rankingTask = await workspace.taskId();
  await page.locator("body").click({ position: { x: 2, y: 2 } });
  await workspace.press("3", "Alt+ArrowUp", "Alt+ArrowUp", "Enter");
  await expect.poll(async () => workspace.taskId()).not.toBe(rankingTask);

  // Edit the first pairwise judgment from the history: now "B better" (6).
  await page.goto("/history?project=demo-roleplay");
  await page
    .getByRole("link", { name: zh ? /修改/ : /Edit/ })
    .last()
    .click();
  await expect(page.getByRole("article", { name: text.reply("A") })).toBeVisible();
  await page.locator("body").click({ position: { x: 2, y: 2 } });
  await workspace.press("6", "Enter");
  await expect(page).toHaveURL(/\/history/);

  // The database holds exactly what they did.
  const stored = await storedJudgments(email);
  const valid = stored.filter((j) => j.state === "valid");
  expect(valid).toHaveLength(11);
  expect(stored.filter((j) => j.state === "superseded")).toHaveLength(1);
  const first = answered[0]!;
  const edited = valid.find((j) => Number(j.task_id) === first.taskId && j.supersedes_id !== null)!;
  expect(edited).toBeDefined();
  // Display terms → canonical: "6" is +2 as shown; with B shown on the left it is stored as -2.
  expect(edited.strength).toBe(edited.display_order[0] === 0 ? 2 : -2);
  const byDigit: Record<string, number> = { "2": -2, "3": -1, "5": 1, "6": 2 };
  for (const a of answered.slice(1)) {
    const j = valid.find((v) => Number(v.task_id) === a.taskId)!;
    expect(j.strength, `task ${a.taskId}`).toBe(j.display_order[0] === 0 ? byDigit[a.digit] : -byDigit[a.digit]!);
    expect(j.seconds).toBeGreaterThan(0);
  }
  const ranked = valid.find((j) => Number(j.task_id) === rankingTask)!;
  // The reply shown third was moved to first place.
  expect(ranked.ranks![ranked.display_order[2]!]).toBe(1);
  const skips = await query<{ n: number }>(
    `select count(*)::int as n from assignments a join users u on u.id = a.annotator_id where u.email = $1 and a.state = 'skipped' and a.task_id = $2`,
    [email, skippedTask],
  );
  expect(skips[0]!.n).toBe(1);
}

test.describe("annotator workspace", () => {
  test("ten pairwise tasks and a ranking by keyboard, a skip and an edit — stored exactly", async ({ page }) => {
    test.setTimeout(180_000);
    await annotateFlow(page, "annotator", "annotator@arbiter.local", "en");
  });

  test("the same flow in Chinese", async ({ page }) => {
    test.setTimeout(180_000);
    await annotateFlow(page, "annotator3", "annotator3@arbiter.local", "zh");
  });

  test("shortcuts help, and both unacceptable with a required rationale named next to the field", async ({ page }) => {
    await new SignInPage(page).signInAs("annotator2");
    await setLanguage(page, "English");
    const workspace = new WorkspacePage(page);
    await workspace.open("demo-roleplay");
    await page.locator("body").click({ position: { x: 2, y: 2 } });
    await workspace.press("?");
    const shortcuts = page.getByRole("dialog", { name: "Keyboard shortcuts" });
    await expect(shortcuts.getByRole("row", { name: /Enter.*Submit the answer/ })).toBeVisible();
    await workspace.press("Escape");
    await expect(shortcuts).toHaveCount(0);
    // "A much better" (1) needs a rationale in this project: the error sits by the field.
    await workspace.press("1", "Enter");
    await expect(page.locator("#err-rationale")).toBeVisible();
    await page.getByLabel(/Rationale/).fill("A stays in character; B breaks the persona.");
    await page.getByRole("button", { name: "Submit" }).click();
    await expect(page.getByRole("status").filter({ hasText: "Saved" })).toBeVisible();
  });
});
