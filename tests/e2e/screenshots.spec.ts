import { test } from "@playwright/test";
import { switchLanguage } from "./pages/language-switch";
import { SignInPage } from "./pages/sign-in-page";
import { WorkspacePage } from "./pages/workspace-page";

// Refreshes docs/screenshots/ (run: SCREENSHOTS=1 npx tsx scripts/e2e.ts tests/e2e/screenshots.spec.ts).
test.skip(!process.env.SCREENSHOTS, "set SCREENSHOTS=1 to refresh docs/screenshots");

test("task view screenshots in English and Chinese", async ({ page }) => {
  await page.setViewportSize({ width: 1360, height: 1700 });
  await new SignInPage(page).signInAs("annotator2");
  for (const [lang, button] of [["en", "English"], ["zh-CN", "简体中文"]] as const) {
    await switchLanguage(page, button);
    const workspace = new WorkspacePage(page, {
      reply: (l) => (lang === "en" ? `Reply ${l}` : `回复 ${l}`),
      saved: /./,
      skip: "",
    });
    await workspace.open("demo-roleplay");
    await page.locator("details summary").first().click();
    await page.locator("body").click({ position: { x: 2, y: 2 } });
    await page.keyboard.press("3");
    await page.screenshot({ path: `docs/screenshots/task-view-${lang}.png`, fullPage: false });
  }
});
