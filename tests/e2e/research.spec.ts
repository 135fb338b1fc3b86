import path from "node:path";
import { expect, test } from "@playwright/test";
import { CharactersPage, ExportPage, ProjectPages } from "./pages/research-pages";
import { SignInPage } from "./pages/sign-in-page";

const fixture = (name: string) => path.resolve("tests/e2e/fixtures", name);

test.describe("researcher", () => {
  test("creates a project, uploads a JSONL file and sees the items as annotators will", async ({ page }) => {
    await new SignInPage(page).signInAs("researcher");
    const project = new ProjectPages(page);
    await project.create({ slug: "e2e-roleplay", name: "端到端 项目", overlap: 2, dimensions: ["Fluency"] });

    // A file with a broken line in the middle imports nothing and names the line.
    await project.openImport();
    await project.upload(fixture("import-broken.jsonl"));
    await expect(project.importRefusal()).toBeVisible();
    const problem = project.importProblem("is the same text as candidates[0].content");
    await expect(problem.getByRole("cell").first()).toHaveText("2");
    await expect(problem.getByRole("cell", { name: "candidates[1].content", exact: true })).toBeVisible();

    await project.upload(fixture("import-small.jsonl"));
    await expect(project.importDone("Imported: 3 new")).toBeVisible();

    await project.openItems();
    for (const id of ["e2e-001", "e2e-002", "e2e-003"]) await expect(project.itemLink(id)).toBeVisible();
    await project.filterByCharacter("林小满");
    await expect(project.itemLink("e2e-003")).toHaveCount(0);
    await project.itemLink("e2e-002").click();

    const card = project.characterCard("林小满");
    await expect(card.getByText("嘴硬心软，爱逞强")).toBeVisible();
    await expect(card.getByText("最爱的食物")).toBeVisible();
    const dialogue = project.dialogue();
    await expect(dialogue.getByText("放学后的教室")).toBeVisible();
    await expect(dialogue.getByText("我在等你呀。")).toBeVisible();
    await expect(project.reply("C").getByText("我不认识你。")).toBeVisible();
  });

  test("model text is shown as text: a script in a reply never runs", async ({ page }) => {
    let dialogs = 0;
    page.on("dialog", async (d) => {
      dialogs++;
      await d.dismiss();
    });
    await new SignInPage(page).signInAs("researcher");
    await page.goto("/projects/demo-roleplay/items?q=demo-0062");
    await new ProjectPages(page).itemLink("demo-0062").click();
    await expect(page.getByText('<script>alert("x")</script>', { exact: false })).toBeVisible();
    expect(await page.locator("main script").count()).toBe(0);
    expect(await page.locator('a[href^="javascript:"]').count()).toBe(0);
    expect(dialogs).toBe(0);
  });

  test("the character library searches Chinese names and shows every attribute", async ({ page }) => {
    await new SignInPage(page).signInAs("researcher");
    const library = new CharactersPage(page);
    await library.search("挽灯");
    await expect(library.character("苏挽灯")).toBeVisible();
    await expect(page.getByText("1 in total")).toBeVisible();
    await library.character("苏挽灯").click();
    await expect(new ProjectPages(page).characterCard(/Character card: 苏挽灯/).getByText("口头禅")).toBeVisible();
  });
});

test.describe("researcher exports", () => {
  test("previews the counts of a DPO policy, builds the bundle with progress and downloads it", async ({ page }) => {
    await new SignInPage(page).signInAs("researcher");
    const exports = new ExportPage(page);
    await exports.open("demo-roleplay");
    await exports.preview();
    const preview = exports.previewRegion();
    await expect(preview.getByText(/Rows: \d+ train, \d+ test/)).toBeVisible();
    await expect(preview.getByRole("cell", { name: "too_few_judgments" })).toBeVisible();

    // A bad policy is refused with the option named.
    await exports.setMinAgreement("7");
    await exports.preview();
    await expect(exports.refusal("min-agreement")).toBeVisible();
    await exports.setMinAgreement("0.5");

    await exports.build();
    const ready = exports.ready();
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
    await expect(exports.pastExports().getByRole("link", { name: "Download .tar.gz" }).first()).toBeVisible();
  });
});
