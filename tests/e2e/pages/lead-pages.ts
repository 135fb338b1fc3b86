import { expect, type Locator, type Page } from "@playwright/test";

const nav = (page: Page) => page.getByRole("navigation", { name: "Main navigation" });

/** The lead's review queue and one task's review. */
export class ReviewPages {
  constructor(private readonly page: Page) {}

  async openQueue(projectSlug: string) {
    await nav(this.page).getByRole("link", { name: "Review" }).click();
    await expect(this.page.getByRole("heading", { name: "Review queue" })).toBeVisible();
    await this.page.getByRole("combobox", { name: "Project" }).selectOption(projectSlug);
    await this.page.getByRole("button", { name: "Apply" }).click();
  }

  /** Shows every judged task instead of the contested ones. */
  async showEveryJudgedTask() {
    await this.page.getByRole("combobox", { name: "Tasks" }).selectOption({ label: "Every judged task" });
    await this.page.getByRole("button", { name: "Apply" }).click();
  }

  taskLink(taskId: number): Locator {
    return this.page.getByRole("link", { name: `Review task #${taskId}`, exact: true });
  }

  taskRow(taskId: number): Locator {
    return this.page.getByRole("row").filter({ has: this.taskLink(taskId) });
  }

  /** On a task's review: the judgment cards, one annotator's card. */
  judgments(): Locator {
    return this.page.getByRole("article", { name: /^Judgment #\d+ by/ });
  }

  judgmentBy(email: string): Locator {
    return this.page.getByRole("article", { name: new RegExp(`by ${email.replaceAll(".", "\\.")}`) });
  }

  /** Rejects a judgment with a note (the first click asks for the note). */
  async reject(card: Locator, note: string) {
    await card.getByRole("button", { name: "Reject" }).click();
    await expect(card.getByText("say why the judgment is rejected")).toBeVisible();
    await card.getByLabel("Note").fill(note);
    await card.getByRole("button", { name: "Reject" }).click();
  }

  async backToQueue() {
    await this.page.getByRole("link", { name: "Back to the queue" }).click();
  }
}

/** The lead's annotators page: export exclusion. */
export class AnnotatorsPage {
  constructor(private readonly page: Page) {}

  async openFromNav(projectSlug: string) {
    await nav(this.page).getByRole("link", { name: "Annotators" }).click();
    await expect(this.page.getByRole("heading", { name: "Annotators" })).toBeVisible();
    await this.page.getByRole("combobox", { name: "Project" }).selectOption(projectSlug);
    await this.page.getByRole("button", { name: "Show" }).click();
  }

  async open(projectSlug: string) {
    await this.page.goto(`/annotators?project=${projectSlug}`);
  }

  exclusionButton(action: "Exclude from exports" | "Include in exports", email: string): Locator {
    return this.page.getByRole("button", { name: `${action}: ${email}` });
  }

  /** Clicks the exclusion toggle and returns its confirmation dialog. */
  async toggleExclusion(action: "Exclude from exports" | "Include in exports", email: string): Promise<Locator> {
    await this.exclusionButton(action, email).click();
    return this.page.getByRole("dialog", { name: action });
  }
}
