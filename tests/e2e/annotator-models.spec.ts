import { expect, test } from "@playwright/test";
import { SignInPage } from "./pages/sign-in-page";

const P = "demo-roleplay";

test.describe("annotator models", () => {
  test("three annotators judge through the API; a lead fits the models on the dashboard, opens a confusion and ranks the review queue by uncertainty", async ({
    browser,
  }) => {
    // Each demo annotator judges a few tasks: the first always prefers the left reply.
    for (const [who, left] of [
      ["annotator", true],
      ["annotator2", false],
      ["annotator3", false],
    ] as const) {
      const context = await browser.newContext();
      const page = await context.newPage();
      await new SignInPage(page).signInAs(who);
      for (let k = 0; k < 4; k++) {
        const next = await page.request.post(`/api/projects/${P}/tasks/next`, { data: {} });
        if (next.status() !== 200) break;
        const lease = (await next.json()) as { assignment: { id: number }; task: { kind: string } };
        if (lease.task.kind !== "pairwise") break;
        const res = await page.request.post(`/api/assignments/${lease.assignment.id}/judgment`, {
          data: { strength: left ? -1 : k % 2 === 0 ? -1 : 1, seconds: 12 },
        });
        expect(res.status()).toBeLessThan(300);
      }
      await context.close();
    }

    const context = await browser.newContext();
    const page = await context.newPage();
    await new SignInPage(page).signInAs("lead");
    await page.goto(`/projects/${P}/dashboard`);
    await expect(page.getByRole("heading", { name: "Annotator models" })).toBeVisible();
    await page.getByRole("link", { name: "Fit the annotator models", exact: true }).click();
    await expect(page).toHaveURL(/models=1/);
    const table = page.getByRole("table", { name: "Annotator models" });
    await expect(table.getByRole("row").filter({ hasText: "annotator@arbiter.local" })).toBeVisible();
    // The confusion opens on a click.
    const row = table.getByRole("row").filter({ hasText: "annotator2@arbiter.local" });
    await row.locator("summary").click();
    await expect(page.getByRole("table", { name: "Confusion: annotator2@arbiter.local" })).toBeVisible();
    await expect(page.getByRole("button", { name: "Ask for more judgments on uncertain tasks" })).toBeVisible();

    await page.goto(`/review?project=${P}&rank=uncertainty&all=1`);
    await expect(page.getByRole("columnheader", { name: "Uncertainty" })).toBeVisible();
    await context.close();
  });
});
