import { expect, type Locator, type Page } from "@playwright/test";

/** A researcher's project pages: create, import, items, one item. Driven by accessible names. */
export class ProjectPages {
  constructor(private readonly page: Page) {}

  /** Creates a project from the projects list and waits for its page. */
  async create(fields: { slug: string; name: string; overlap: number; dimensions: string[] }) {
    const { page } = this;
    await page.getByRole("link", { name: "Projects" }).click();
    await page.getByRole("link", { name: "New project" }).click();
    await page.getByLabel("Slug (URL name)").fill(fields.slug);
    await page.getByLabel("Name", { exact: true }).fill(fields.name);
    await page.getByLabel("Annotators per task (overlap)").fill(String(fields.overlap));
    for (const d of fields.dimensions) await page.getByRole("checkbox", { name: d }).check();
    await page.getByRole("button", { name: "Create" }).click();
    await expect(page).toHaveURL(new RegExp(`/projects/${fields.slug}$`));
    await expect(page.getByRole("heading", { level: 1, name: fields.name })).toBeVisible();
  }

  /** Uploads a file on the project's import page (open it first with {@link openImport}). */
  async upload(file: string) {
    await this.page.getByLabel("JSONL or CSV file").setInputFiles(file);
    await this.page.getByRole("button", { name: "Upload and import" }).click();
  }

  async openImport() {
    await this.page.getByRole("link", { name: "Import" }).click();
  }

  /** The import's refusal, and the row naming one bad line. */
  importRefusal(): Locator {
    return this.page.getByRole("alert").filter({ hasText: "nothing was imported" });
  }

  importProblem(text: string): Locator {
    return this.page.getByRole("row").filter({ hasText: text });
  }

  importDone(text: string | RegExp): Locator {
    return this.page.getByRole("status").filter({ hasText: text });
  }

  async openItems() {
    await this.page.getByRole("link", { name: "Items" }).click();
  }

  itemLink(externalId: string): Locator {
    return this.page.getByRole("link", { name: externalId });
  }

  async filterByCharacter(name: string) {
    await this.page.getByLabel("Character").fill(name);
    await this.page.getByRole("button", { name: "Filter" }).click();
  }

  /** On an item's page: its character card, dialogue and one reply. */
  characterCard(name: string | RegExp): Locator {
    return this.page.getByRole("region", { name: typeof name === "string" ? `Character card: ${name}` : name });
  }

  dialogue(): Locator {
    return this.page.getByRole("region", { name: "Dialogue" });
  }

  reply(letter: string): Locator {
    return this.page.getByRole("article", { name: `Reply ${letter}` });
  }
}

/** The character library. */
export class CharactersPage {
  constructor(private readonly page: Page) {}

  async search(text: string) {
    await this.page.goto("/characters");
    await this.page.getByRole("searchbox", { name: "Search" }).fill(text);
    await this.page.getByRole("button", { name: "Search" }).click();
  }

  character(name: string): Locator {
    return this.page.getByRole("link", { name });
  }
}

/** A project's export page: preview a policy's counts, build a bundle, past exports. */
export class ExportPage {
  constructor(private readonly page: Page) {}

  async open(projectSlug: string) {
    await this.page.goto(`/projects/${projectSlug}/export`);
  }

  async preview() {
    await this.page.getByRole("button", { name: "Preview counts" }).click();
  }

  previewRegion(): Locator {
    return this.page.getByRole("region", { name: "What this policy gives" });
  }

  /** The preview's "Rows: N train, M test" line (the newest one). */
  rowsLine(): Locator {
    return this.page.getByText(/Rows: \d+ train, \d+ test/).last();
  }

  async setMinAgreement(value: string) {
    await this.page.getByLabel("Minimum agreement (0–1)").fill(value);
  }

  refusal(text: string): Locator {
    return this.page.getByRole("alert").filter({ hasText: text });
  }

  async build() {
    await this.page.getByRole("button", { name: "Build the bundle" }).click();
  }

  ready(): Locator {
    return this.page.getByRole("status").filter({ hasText: /Export #\d+ is ready/ });
  }

  /** The finished exports of a kind in the history table, newest first. */
  doneRows(kind: string): Locator {
    return this.page.getByRole("row").filter({ hasText: new RegExp(`${kind}[\\s\\S]*done`) });
  }

  pastExports(): Locator {
    return this.page.getByRole("region", { name: "Past exports" });
  }
}
