import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import { queryAppDb } from "./db";
import { AnnotatorsPage, ReviewPages } from "./pages/lead-pages";
import { ExportPage } from "./pages/research-pages";
import { SignInPage } from "./pages/sign-in-page";

/**
 * A lead's quality journey: three annotators disagree on one task through the
 * annotation API; the lead finds it in the review queue, rejects a judgment, sees the task
 * back in the annotation queue, excludes an annotator and sees the DPO export change.
 */
const PROJECT = "demo-roleplay";

async function lease(request: APIRequestContext) {
  const res = await request.post(`/api/projects/${PROJECT}/tasks/next`, { data: {} });
  expect(res.status()).toBe(200);
  return (await res.json()) as { assignment: { id: number }; task: { id: number }; candidates: { slot: number; content: string }[] };
}

/**
 * Whether a task can start this journey, read from the app's database (annotators cannot
 * tell, by design): not gold, no valid judgment yet, and never given to the two other
 * annotators — earlier specs judged and skipped tasks with them, and a task one of them
 * already judged or skipped is never offered to them again.
 */
async function freshForAll(taskId: number): Promise<boolean> {
  const [row] = await queryAppDb<{ fresh: boolean }>(
    `select t.gold is null and t.valid_judgments = 0
            and not exists (select 1 from assignments a join users u on u.id = a.annotator_id
                            where a.task_id = t.id and u.email in ('annotator2@arbiter.local', 'annotator3@arbiter.local')) as fresh
     from tasks t where t.id = $1`,
    [taskId],
  );
  return row!.fresh;
}

/** Leases until the given task comes up (skipping others), or the first task fresh for all three annotators when none is given. */
async function leaseTask(request: APIRequestContext, taskId?: number) {
  for (let i = 0; i < 200; i++) {
    const l = await lease(request);
    if (taskId === undefined ? await freshForAll(l.task.id) : l.task.id === taskId) return l;
    await request.post(`/api/assignments/${l.assignment.id}/skip`, {
      data: { reason: "other", note: "e2e: looking for the contested task" },
    });
  }
  throw new Error(taskId === undefined ? "no task fresh for all three annotators was offered" : `task ${taskId} was never offered`);
}

/**
 * One annotator's judgment through the API: "B better" (display terms) towards the reply
 * `prefer` (by content, since each annotator sees its own left/right order), or against it.
 * Returns the task and the content of the reply they preferred.
 */
async function judge(
  page: Page,
  who: "annotator" | "annotator2" | "annotator3",
  opts: { taskId?: number; prefer?: string; against?: boolean } = {},
) {
  await new SignInPage(page).signInAs(who);
  const l = await leaseTask(page.request, opts.taskId);
  const left = l.candidates.find((c) => c.slot === 0)!.content;
  const leftIsPreferred = opts.prefer === undefined ? true : left === opts.prefer;
  const strength = leftIsPreferred !== Boolean(opts.against) ? -2 : 2;
  const res = await page.request.post(`/api/assignments/${l.assignment.id}/judgment`, { data: { strength, seconds: 20 } });
  expect(res.status()).toBe(200);
  await page.context().clearCookies();
  return { taskId: l.task.id, preferred: opts.prefer ?? left };
}

/** Previews the DPO counts ("Rows: …") and builds the bundle; returns the preview line and the new export's row. */
async function dpoExport(page: Page): Promise<{ preview: string; built: string }> {
  const exports = new ExportPage(page);
  await exports.open(PROJECT);
  await exports.preview();
  const rows = exports.rowsLine();
  await expect(rows).toBeVisible({ timeout: 60_000 });
  const preview = (await rows.textContent()) ?? "";
  const done = exports.doneRows("dpo");
  const before = await done.count();
  await exports.build();
  await expect(done).toHaveCount(before + 1, { timeout: 60_000 });
  return { preview, built: (await done.first().textContent()) ?? "" };
}

test("a lead reviews a contested task, rejects a judgment and excludes an annotator", async ({ page }) => {
  test.setTimeout(180_000);
  // Two annotators prefer the same reply, the third the other one: a split vote.
  const { taskId, preferred } = await judge(page, "annotator");
  await judge(page, "annotator2", { taskId, prefer: preferred, against: true });
  await judge(page, "annotator3", { taskId, prefer: preferred });

  await new SignInPage(page).signInAs("lead");
  const review = new ReviewPages(page);
  await review.openQueue(PROJECT);
  await expect(review.taskLink(taskId)).toBeVisible();
  const row = review.taskRow(taskId);
  await expect(row).toContainText("Split votes");
  await expect(row).toContainText("3 / 3");
  await review.taskLink(taskId).click();

  // Every judgment side by side; models are shown to leads.
  await expect(page.getByRole("heading", { name: `Task #${taskId}` })).toBeVisible();
  await expect(review.judgments()).toHaveCount(3);
  const card = review.judgmentBy("annotator2@arbiter.local");
  await review.reject(card, "Contradicts the character card.");
  await expect(card.getByText("Rejected", { exact: true })).toBeVisible();
  await expect(page.getByText("Back in the annotation queue: it needs 1 more judgment(s).")).toBeVisible();

  // The two remaining judgments agree, so it is no longer contested; among every judged
  // task it shows open again with two valid judgments.
  await review.backToQueue();
  await expect(review.taskLink(taskId)).toHaveCount(0);
  await review.showEveryJudgedTask();
  const again = review.taskRow(taskId);
  await expect(again).toContainText("2 / 3");
  await expect(again).toContainText("Back in the annotation queue");

  // Exclusion: preview the affected judgments, confirm, and the next DPO export changes
  // (the task's row rests on annotator's and annotator3's agreeing judgments; at least two count).
  // Other specs may have added judgments to the demo project: compare before and after.
  const before = await dpoExport(page);
  const trainingRows = (preview: string) => {
    const m = /Rows: (\d+) train, (\d+) test/.exec(preview);
    return Number(m?.[1] ?? NaN) + Number(m?.[2] ?? NaN);
  };
  expect(trainingRows(before.preview)).toBeGreaterThan(0);
  const annotators = new AnnotatorsPage(page);
  await annotators.openFromNav(PROJECT);
  const dialog = await annotators.toggleExclusion("Exclude from exports", "annotator@arbiter.local");
  await expect(dialog).toContainText(/leaves \d+ valid judgments/);
  await dialog.getByRole("button", { name: "Confirm" }).click();
  await expect(annotators.exclusionButton("Include in exports", "annotator@arbiter.local")).toBeVisible();
  const after = await dpoExport(page);
  expect(after.preview).not.toBe(before.preview);
  expect(trainingRows(after.preview)).toBeLessThan(trainingRows(before.preview));
  expect(after.built).not.toBe(before.built);

  // Reversible: include again (leave the demo data as other specs expect it).
  await annotators.open(PROJECT);
  const include = await annotators.toggleExclusion("Include in exports", "annotator@arbiter.local");
  await include.getByRole("button", { name: "Confirm" }).click();
  await expect(annotators.exclusionButton("Exclude from exports", "annotator@arbiter.local")).toBeVisible();
});
