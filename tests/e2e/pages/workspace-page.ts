import { expect, type Page } from "@playwright/test";

/** The annotator's workspace, driven by the keyboard the way annotators work. */
export class WorkspacePage {
  constructor(
    private readonly page: Page,
    private readonly text: { reply: (letter: string) => string; saved: RegExp; skip: string } = {
      reply: (l) => `Reply ${l}`,
      saved: /Saved|Skipped|Resumed/,
      skip: "Skip task",
    },
  ) {}

  async open(slug: string) {
    await this.page.goto(`/annotate/${slug}`);
    await this.waitForTask();
  }

  /** Waits until a task is on screen and returns its heading text ("#<task id>"). */
  async waitForTask(): Promise<string> {
    await expect(this.page.getByRole("article", { name: this.text.reply("A") })).toBeVisible();
    return (await this.page.locator("h2.skip-link").textContent()) ?? "";
  }

  async taskId(): Promise<number> {
    return Number((await this.waitForTask()).replace("#", ""));
  }

  /** Presses keys on the page body (not inside a text field). */
  async press(...keys: string[]) {
    for (const key of keys) await this.page.keyboard.press(key);
  }

  /** Answers the current pairwise task with scale point `digit` and Enter; waits for the next one. */
  async answerByKeyboard(digit: string) {
    const before = await this.taskId();
    await this.page.locator("body").click({ position: { x: 2, y: 2 } });
    await this.press(digit, "Enter");
    await expect.poll(async () => (await this.page.locator("h2.skip-link").textContent()) ?? "", { timeout: 15_000 }).not.toBe(`#${before}`);
    return before;
  }
}
