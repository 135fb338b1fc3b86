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

  /** Waits until a task is on screen and returns its label ("Task #<id>", "任务 #<id>"). */
  async waitForTask(): Promise<string> {
    await expect(this.page.getByRole("article", { name: this.text.reply("A") })).toBeVisible();
    return (await this.taskLabel().textContent()) ?? "";
  }

  /** The plain label with the task number. */
  taskLabel() {
    return this.page.getByTestId("task-label");
  }

  async taskId(): Promise<number> {
    return Number(/#(\d+)/.exec(await this.waitForTask())?.[1] ?? NaN);
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
    await expect
      .poll(async () => /#(\d+)/.exec((await this.taskLabel().textContent()) ?? "")?.[1], { timeout: 15_000 })
      .not.toBe(String(before));
    return before;
  }
}
