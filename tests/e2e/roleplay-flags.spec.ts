import { expect, test } from "@playwright/test";
import { queryAppDb as query } from "./db";
import { createProject, importLines, longLine } from "./long-task";
import { switchLanguage } from "./pages/language-switch";
import { SignInPage } from "./pages/sign-in-page";
import { WorkspacePage } from "./pages/workspace-page";

test.beforeAll(async ({ browser }) => {
  await createProject("flags-pair", { mode: "pairwise", overlap: 1, goldRatio: 0, dimensions: [], rationale: "optional" });
  await importLines(browser, "flags-pair", [longLine("flags-0", 2), longLine("flags-1", 2)]);
});

test("an annotator flags a reply for role-play faults; the lead sees them counted per model and annotator", async ({ browser }) => {
  const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
  await new SignInPage(page).signInAs("annotator2");
  await switchLanguage(page, "English");
  const workspace = new WorkspacePage(page);
  await workspace.open("flags-pair");
  const taskId = await workspace.taskId();
  // The flags fold away under each reply; open them for A and B.
  await page.getByRole("article", { name: "Reply A" }).getByText("Flags (A)").click();
  await page.getByRole("article", { name: "Reply B" }).getByText("Flags (B)").click();
  await page.getByRole("checkbox", { name: "Reply A: Out of character" }).check();
  await page.getByRole("checkbox", { name: "Reply A: Reveals it is an AI" }).check();
  await page.getByRole("checkbox", { name: "Reply B: Speaks or acts for the user" }).check();
  await page.locator("body").click({ position: { x: 2, y: 2 } });
  await workspace.press("5", "Enter");
  await expect.poll(() => workspace.taskId()).not.toBe(taskId);

  const [stored] = await query<{ roleplay_flags: Record<string, string[]>; display_order: number[] }>(
    `select j.roleplay_flags, j.display_order from judgments j join users u on u.id = j.annotator_id
      where u.email = 'annotator2@arbiter.local' and j.task_id = $1`,
    [taskId],
  );
  const [a, b] = stored!.display_order; // canonical index shown as A, as B
  expect(stored!.roleplay_flags).toEqual({ [String(a)]: ["out_of_character", "reveals_ai"], [String(b)]: ["speaks_for_user"] });
  await page.close();

  const lead = await browser.newPage();
  await new SignInPage(lead).signInAs("lead");
  await lead.goto("/projects/flags-pair/dashboard");
  const section = lead.getByRole("region", { name: "Role-play flags" });
  await expect(section.getByRole("table", { name: "Model" }).getByRole("row")).toHaveCount(3);
  await expect(section.getByRole("table", { name: "Annotator" }).getByRole("row").last().getByRole("cell").last()).toHaveText("3");
  await lead.close();
});
