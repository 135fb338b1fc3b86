/**
 * The live leaderboard on a live project's dashboard, on the seeded demo live project (its
 * finished demo session has two judged turns): first turns of branches by default, a link
 * to include all turns that says so, in English and in Chinese; and an annotator finds the
 * demo live project and starts a session in it.
 */
import { expect, type Page, test } from "@playwright/test";
import { switchLanguage } from "./pages/language-switch";
import { SignInPage } from "./pages/sign-in-page";

const T = {
  English: {
    panel: "Live leaderboard (Bradley–Terry over live turns)",
    table: "Model leaderboard (Bradley–Terry)",
    first: "Counting the first turn of each branch only",
    all: "Counting all turns",
    showAll: "Include all turns",
    showFirst: "First turns of branches only",
    counts: "Judged comparisons counted: 1. Between different models: 1; between replies of one model: 0",
  },
  简体中文: {
    panel: "实时排行榜（基于实时轮次的 Bradley–Terry）",
    table: "模型排行榜（Bradley–Terry）",
    first: "只计每个分支的第一轮",
    all: "计入所有轮次（包括后续轮次）",
    showAll: "计入所有轮次",
    showFirst: "只计分支的第一轮",
    counts: "计入的已评判比较：1 次。不同模型之间：1 次；同一模型的回复之间：0 次",
  },
} as const;

for (const lang of ["English", "简体中文"] as const) {
  test(`the lead sees the live leaderboard of the demo live project, first turns by default (${lang})`, async ({ page }) => {
    const t = T[lang];
    await new SignInPage(page).signInAs("lead");
    await switchLanguage(page, lang);
    // The language is the lead's own setting, kept across sessions: later specs sign in as
    // the same lead and read English, so the Chinese run switches back whatever happens.
    try {
      await checkLeaderboard(page, t);
    } finally {
      if (lang !== "English") await switchLanguage(page, "English");
    }
  });
}

async function checkLeaderboard(page: Page, t: (typeof T)[keyof typeof T]) {
  await page.goto("/projects/demo-live/dashboard");
  const panel = page.getByRole("region", { name: t.panel });
  await expect(panel).toContainText(t.first);
  await expect(panel).toContainText(t.counts);
  // Two demo models met in the first turn: both are rated (a header row and one row each).
  const table = panel.getByRole("table", { name: t.table });
  await expect(table.getByRole("row")).toHaveCount(3);
  await expect(table.getByRole("row").filter({ hasText: "arbiter-demo-" })).toHaveCount(2);
  await panel.getByRole("link", { name: t.showAll }).click();
  await expect(page).toHaveURL(/turns=all/);
  const all = page.getByRole("region", { name: t.panel });
  await expect(all).toContainText(t.all);
  await expect(all.getByRole("link", { name: t.showFirst })).toBeVisible();
}

test("an annotator starts a session in the demo live project", async ({ page }) => {
  await new SignInPage(page).signInAs("annotator2");
  await switchLanguage(page, "English");
  await page.goto("/live/demo-live");
  await page.getByRole("button", { name: "Start a new session" }).click();
  await expect(page.getByLabel("Your message as the user")).toBeVisible();
});
