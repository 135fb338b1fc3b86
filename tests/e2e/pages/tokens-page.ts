import { expect, type Page } from "@playwright/test";
import type { TokenScope } from "../../../lib/auth/tokens";

/** The API token page: create a token (read back once from the page), revoke one. */
export class TokensPage {
  constructor(private readonly page: Page) {}

  async goto() {
    await this.page.goto("/tokens");
    await expect(this.page.getByRole("heading", { name: "API tokens" })).toBeVisible();
  }

  /** Creates a token and returns the secret shown once after creation. */
  async create(input: { name: string; scopes: TokenScope[]; projectSlug?: string; expiresInDays?: number }) {
    const label: Record<TokenScope, string> = {
      import: "Import items",
      export: "Export",
      stats: "Read statistics",
      annotate: "Annotate",
      generate: "Generate candidates",
    };
    await this.page.getByLabel("Name").fill(input.name);
    for (const scope of input.scopes) await this.page.getByRole("checkbox", { name: label[scope], exact: true }).check();
    await this.page.getByLabel("Project (slug, optional)").fill(input.projectSlug ?? "");
    await this.page.getByLabel(/Expires after/).fill(input.expiresInDays === undefined ? "" : String(input.expiresInDays));
    await this.page.getByRole("button", { name: "Create token" }).click();
    const shown = this.page.getByLabel(`New token: ${input.name}`);
    await expect(shown).toHaveValue(/^arb_/);
    return shown.inputValue();
  }

  async revoke(name: string) {
    await this.page.getByRole("button", { name: `Revoke: ${name}` }).click();
    await expect(this.page.getByRole("row").filter({ hasText: name }).getByRole("cell", { name: "Revoked", exact: true })).toBeVisible();
  }

  row(name: string) {
    return this.page.getByRole("row").filter({ hasText: name });
  }
}
