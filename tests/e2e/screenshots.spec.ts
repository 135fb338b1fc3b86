import { test } from "@playwright/test";
import { switchLanguage } from "./pages/language-switch";
import { SignInPage } from "./pages/sign-in-page";
import { WorkspacePage } from "./pages/workspace-page";

// Refreshes docs/screenshots/ (run: SCREENSHOTS=1 npx tsx scripts/e2e.ts tests/e2e/screenshots.spec.ts
// tests/e2e/live-session.spec.ts; the live session's shots come from its own spec).
// The Chinese shots need a CJK font on the machine (Debian: fonts-noto-cjk), or they show boxes.
test.skip(!process.env.SCREENSHOTS, "set SCREENSHOTS=1 to refresh docs/screenshots");

test("task view screenshots in English and Chinese, on a laptop and a desktop screen", async ({ page }) => {
  await new SignInPage(page).signInAs("annotator2");
  for (const [lang, button] of [
    ["en", "English"],
    ["zh-CN", "简体中文"],
  ] as const) {
    await switchLanguage(page, button);
    const workspace = new WorkspacePage(page, {
      reply: (l) => (lang === "en" ? `Reply ${l}` : `回复 ${l}`),
      saved: /./,
      skip: "",
    });
    for (const size of [
      { width: 1366, height: 768 },
      { width: 1920, height: 1080 },
    ]) {
      await page.setViewportSize(size);
      await workspace.open("demo-roleplay");
      await page.locator("body").click({ position: { x: 2, y: 2 } });
      await page.keyboard.press("3");
      await page.screenshot({
        path: `docs/screenshots/task-view-${lang}${size.width === 1366 ? "" : `-${size.width}`}.png`,
        fullPage: false,
      });
    }
    await page.setViewportSize({ width: 1366, height: 768 });
    await workspace.open("demo-ranking");
    await page.screenshot({ path: `docs/screenshots/ranking-view-${lang}.png`, fullPage: false });
  }
});
