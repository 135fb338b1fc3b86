import { expect, test } from "@playwright/test";
import { queryAppDb as query } from "./db";
import { SignInPage } from "./pages/sign-in-page";
import { WorkspacePage } from "./pages/workspace-page";

/**
 * The model loop on the embedded default: a researcher fills the demo generation project's
 * prompts from two demo endpoints on the Generate tab (live progress until finished), the
 * items get their tasks, and an annotator judges one of the generated pairs.
 */
test("generate candidates for a demo project from the UI, then annotate one task", async ({ browser }) => {
  const researcher = await browser.newContext();
  const page = await researcher.newPage();
  await new SignInPage(page).signInAs("researcher");
  await page.goto("/projects/demo-generation");
  await page.getByRole("link", { name: "Generate" }).click();
  await expect(page.getByRole("heading", { level: 1, name: /Generate candidates/ })).toBeVisible();

  // The demo endpoints are labelled as demo models.
  const strong = page.getByRole("checkbox", { name: /demo-model-strong/ });
  await expect(page.getByText("demo model").first()).toBeVisible();
  await strong.check();
  await page.getByRole("checkbox", { name: /demo-model-weak/ }).check();
  await page.getByLabel("Samples per endpoint and item").fill("1");
  await expect(page.getByRole("checkbox", { name: /Only items that still need candidates/ })).toBeChecked();
  await page.getByRole("button", { name: "Generate", exact: true }).click();
  await expect(page.getByRole("status").filter({ hasText: /Job #\d+ queued: 24 samples/ })).toBeVisible();

  // Live progress until the job finishes, every sample generated.
  const job = page.getByRole("article", { name: /Job #\d+/ }).first();
  await expect(job.getByRole("progressbar")).toBeVisible();
  await expect(job.getByText("finished")).toBeVisible({ timeout: 60_000 });
  await expect(job.getByText(/24 of 24 samples — 24 generated, 0 failed/)).toBeVisible();
  await expect(job.getByRole("progressbar")).toHaveAttribute("aria-valuenow", "24");

  const stored = await query<{ n: string; tasks: string; metadata: string }>(
    `select (select count(*) from candidates c join items i on i.id = c.item_id join projects p on p.id = i.project_id
              where p.slug = 'demo-generation' and c.endpoint_id is not null and c.response_id is not null and c.finish_reason is not null) as n,
            (select count(*) from tasks t join projects p on p.id = t.project_id where p.slug = 'demo-generation') as tasks`,
  );
  expect(Number(stored[0]!.n)).toBe(24);
  expect(Number(stored[0]!.tasks)).toBeGreaterThanOrEqual(11);
  await researcher.close();

  // An annotator judges one generated pair; model names never reach the annotator.
  const annotator = await browser.newContext();
  const apage = await annotator.newPage();
  await new SignInPage(apage).signInAs("annotator2");
  const workspace = new WorkspacePage(apage);
  await workspace.open("demo-generation");
  await expect(apage.getByText("demo-model-strong")).toHaveCount(0);
  const taskId = await workspace.answerByKeyboard("2");
  const judged = await query<{ n: string }>(
    `select count(*) as n from judgments j join users u on u.id = j.annotator_id where u.email = 'annotator2@arbiter.local' and j.task_id = $1`,
    [taskId],
  );
  expect(Number(judged[0]!.n)).toBe(1);
  await annotator.close();
});
