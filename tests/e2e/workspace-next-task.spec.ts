import { expect, test } from "@playwright/test";
import { createProject, importLines, longLine } from "./long-task";
import { SignInPage } from "./pages/sign-in-page";
import { WorkspacePage } from "./pages/workspace-page";

/**
 * After a submit or a skip the next task comes in the same answer and replaces the last in
 * place: no navigation, no loading state in between (the task's layout never leaves the
 * page), and the annotator keeps their place — the persona panel as they left it, the
 * dialogue at its end, the replies at their start, focus on the task label, the notice.
 */

test.beforeAll(async ({ browser }) => {
  await createProject("next-in-place", { mode: "pairwise", overlap: 1, goldRatio: 0, rationale: "optional" });
  await importLines(
    browser,
    "next-in-place",
    Array.from({ length: 4 }, (_, i) => longLine(`next-in-place-${i}`, 2)),
  );
});

test("the next task replaces the last in place, and the annotator keeps their place", async ({ page }) => {
  await page.setViewportSize({ width: 1366, height: 768 });
  await new SignInPage(page).signInAs("annotator2");
  const workspace = new WorkspacePage(page);
  await workspace.open("next-in-place");
  const persona = page.getByRole("complementary", { name: "Persona" });
  await page.locator("body").click({ position: { x: 2, y: 2 } });
  await workspace.press("p");
  await expect(persona.getByRole("button", { name: /Show the persona/ })).toBeVisible();

  // Watch for what a navigation or a loading state would do: the decision bar gone, the page replaced.
  let navigations = 0;
  page.on("framenavigated", (frame) => {
    if (frame === page.mainFrame()) navigations++;
  });
  await page.evaluate(() => {
    const w = window as unknown as { layoutLeft: boolean };
    w.layoutLeft = false;
    new MutationObserver(() => {
      if (!document.querySelector(".decision-bar")) w.layoutLeft = true;
    }).observe(document.body, { childList: true, subtree: true });
  });

  // A submit, then a skip: each brings the next task.
  const first = await workspace.answerByKeyboard("3");
  await expect(page.getByRole("status").filter({ hasText: "Saved" })).toBeVisible();
  const second = await workspace.taskId();
  expect(second).not.toBe(first);
  await page.locator("body").click({ position: { x: 2, y: 2 } });
  await workspace.press("s");
  await expect(page.getByRole("dialog")).toBeVisible();
  await workspace.press("Tab", "Tab", "Enter");
  await expect.poll(async () => workspace.taskId()).not.toBe(second);
  await expect(page.getByRole("status").filter({ hasText: "Skipped" })).toBeVisible();

  expect(navigations).toBe(0);
  expect(await page.evaluate(() => (window as unknown as { layoutLeft: boolean }).layoutLeft)).toBe(false);
  await expect(workspace.taskLabel()).toBeFocused();
  await expect(persona.getByRole("button", { name: /Show the persona/ })).toBeVisible();
  const panes = await page.evaluate(() => {
    const dialogue = document.querySelector(".dialogue-pane")!;
    return {
      dialogueAtEnd: dialogue.scrollTop + dialogue.clientHeight >= dialogue.scrollHeight - 2,
      repliesAtStart: [...document.querySelectorAll(".reply-text")].map((r) => r.scrollTop),
      pageTop: window.scrollY,
    };
  });
  expect(panes).toEqual({ dialogueAtEnd: true, repliesAtStart: [0, 0], pageTop: 0 });

  // The shortcuts keep working on the task that came in place.
  const third = await workspace.answerByKeyboard("5");
  expect(third).not.toBe(second);
});
