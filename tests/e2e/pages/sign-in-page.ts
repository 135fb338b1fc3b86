import { expect, type Page } from "@playwright/test";

export const DEMO = {
  admin: { email: "admin@arbiter.local", password: "admin-demo-pass" },
  lead: { email: "lead@arbiter.local", password: "lead-demo-pass" },
  researcher: { email: "researcher@arbiter.local", password: "researcher-demo-pass" },
  annotator: { email: "annotator@arbiter.local", password: "annotator-demo-pass" },
  annotator2: { email: "annotator2@arbiter.local", password: "annotator-demo-pass" },
  annotator3: { email: "annotator3@arbiter.local", password: "annotator-demo-pass" },
} as const;

/** The sign-in page, driven by accessible names like a person would. */
export class SignInPage {
  constructor(private readonly page: Page) {}

  async goto() {
    await this.page.goto("/signin");
  }

  async fill(email: string, password: string) {
    await this.page.getByLabel("Email").fill(email);
    await this.page.getByLabel("Password").fill(password);
    await this.page.getByRole("button", { name: "Sign in" }).click();
  }

  /** Signs in and waits for the home page. */
  async signInAs(who: keyof typeof DEMO) {
    await this.goto();
    await this.fill(DEMO[who].email, DEMO[who].password);
    await expect(this.page.getByTestId("current-user")).toBeVisible();
  }

  errorAlert() {
    // Not Next.js's route announcer, which is also an (empty) alert.
    return this.page.getByRole("alert").and(this.page.locator(".alert"));
  }
}

/** Names of the links in the main navigation. */
export async function navigationNames(page: Page): Promise<string[]> {
  return page.getByRole("navigation", { name: "Main navigation" }).getByRole("link").allInnerTexts();
}
