import path from "node:path";
import { expect, test } from "@playwright/test";
import { SignInPage } from "./pages/sign-in-page";

const fixture = (name: string) => path.resolve("tests/e2e/fixtures", name);

test.describe("researcher", () => {
  test("creates a project, uploads a JSONL file and sees the items as annotators will", async ({ page }) => {
    await new SignInPage(page).signInAs("researcher");
    await page.getByRole("link", { name: "Projects" }).click();
    await page.getByRole("link", { name: "New project" }).click();
    await page.getByLabel("Slug (URL name)").fill("e2e-roleplay");
    await page.getByLabel("Name", { exact: true }).fill("端到端 项目");
    await page.getByLabel("Annotators per task (overlap)").fill("2");
    await page.getByRole("checkbox", { name: "Fluency" }).check();
    await page.getByRole("button", { name: "Create" }).click();
    await expect(page).toHaveURL(/\/projects\/e2e-roleplay$/);
    await expect(page.getByRole("heading", { level: 1, name: "端到端 项目" })).toBeVisible();

    // A file with a broken line in the middle imports nothing and names the line.
    await page.getByRole("link", { name: "Import" }).click();
    await page.getByLabel("JSONL or CSV file").setInputFiles(fixture("import-broken.jsonl"));
    await page.getByRole("button", { name: "Upload and import" }).click();
    await expect(page.getByRole("alert").filter({ hasText: "nothing was imported" })).toBeVisible();
    const problem = page.getByRole("row").filter({ hasText: "is the same text as candidates[0].content" });
    await expect(problem.getByRole("cell").first()).toHaveText("2");
    await expect(problem.getByRole("cell", { name: "candidates[1].content", exact: true })).toBeVisible();

    await page.getByLabel("JSONL or CSV file").setInputFiles(fixture("import-small.jsonl"));
    await page.getByRole("button", { name: "Upload and import" }).click();
    await expect(page.getByRole("status").filter({ hasText: "Imported: 3 new" })).toBeVisible();

    await page.getByRole("link", { name: "Items" }).click();
    for (const id of ["e2e-001", "e2e-002", "e2e-003"]) await expect(page.getByRole("link", { name: id })).toBeVisible();
    await page.getByLabel("Character").fill("林小满");
    await page.getByRole("button", { name: "Filter" }).click();
    await expect(page.getByRole("link", { name: "e2e-003" })).toHaveCount(0);
    await page.getByRole("link", { name: "e2e-002" }).click();

    const card = page.getByRole("region", { name: "Character card: 林小满" });
    await expect(card.getByText("嘴硬心软，爱逞强")).toBeVisible();
    await expect(card.getByText("最爱的食物")).toBeVisible();
    const dialogue = page.getByRole("region", { name: "Dialogue" });
    await expect(dialogue.getByText("放学后的教室")).toBeVisible();
    await expect(dialogue.getByText("我在等你呀。")).toBeVisible();
    await expect(page.getByRole("article", { name: "Reply C" }).getByText("我不认识你。")).toBeVisible();
  });

  test("model text is shown as text: a script in a reply never runs", async ({ page }) => {
    let dialogs = 0;
    page.on("dialog", async (d) => {
      dialogs++;
      await d.dismiss();
    });
    await new SignInPage(page).signInAs("researcher");
    await page.goto("/projects/demo-roleplay/items?q=demo-0062");
    await page.getByRole("link", { name: "demo-0062" }).click();
    await expect(page.getByText('<script>alert("x")</script>', { exact: false })).toBeVisible();
    expect(await page.locator("main script").count()).toBe(0);
    expect(await page.locator('a[href^="javascript:"]').count()).toBe(0);
    expect(dialogs).toBe(0);
  });

  test("the character library searches Chinese names and shows every attribute", async ({ page }) => {
    await new SignInPage(page).signInAs("researcher");
    await page.goto("/characters");
    await page.getByRole("searchbox", { name: "Search" }).fill("挽灯");
    await page.getByRole("button", { name: "Search" }).click();
    await expect(page.getByRole("link", { name: "苏挽灯" })).toBeVisible();
    await expect(page.getByText("1 in total")).toBeVisible();
    await page.getByRole("link", { name: "苏挽灯" }).click();
    await expect(page.getByRole("region", { name: /Character card: 苏挽灯/ }).getByText("口头禅")).toBeVisible();
  });
});

test.describe("researcher exports", () => {
  test("previews the counts of a DPO policy, builds the bundle with progress and downloads it", async ({ page }) => {
    await new SignInPage(page).signInAs("researcher");
    await page.goto("/projects/demo-roleplay/export");
    await page.getByRole("button", { name: "Preview counts" }).click();
    const preview = page.getByRole("region", { name: "What this policy gives" });
    await expect(preview.getByText(/Rows: \d+ train, \d+ test/)).toBeVisible();
    await expect(preview.getByRole("cell", { name: "too_few_judgments" })).toBeVisible();

    // A bad policy is refused with the option named.
    await page.getByLabel("Minimum agreement (0–1)").fill("7");
    await page.getByRole("button", { name: "Preview counts" }).click();
    await expect(page.getByRole("alert").filter({ hasText: "min-agreement" })).toBeVisible();
    await page.getByLabel("Minimum agreement (0–1)").fill("0.5");

    await page.getByRole("button", { name: "Build the bundle" }).click();
    const ready = page.getByRole("status").filter({ hasText: /Export #\d+ is ready/ });
    await expect(ready).toBeVisible({ timeout: 30_000 });
    const download = page.waitForEvent("download");
    await ready.getByRole("link", { name: "Download .tar.gz" }).click();
    const file = await download;
    expect(file.suggestedFilename()).toMatch(/^arbiter-export-\d+-dpo\.tar\.gz$/);
    const bytes = await (await file.createReadStream()).toArray();
    const buf = Buffer.concat(bytes as Buffer[]);
    expect(buf[0]).toBe(0x1f);
    expect(buf[1]).toBe(0x8b);
    await page.reload();
    await expect(page.getByRole("region", { name: "Past exports" }).getByRole("link", { name: "Download .tar.gz" }).first()).toBeVisible();
  });
});
