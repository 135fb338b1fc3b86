import { expect, type Page } from "@playwright/test";

export type LanguageName = "English" | "简体中文";

/**
 * The header's language switch. Waits for what the user sees — the page re-rendered in the
 * chosen language and the switch showing it — rather than for the network to go quiet.
 */
export async function switchLanguage(page: Page, name: LanguageName): Promise<void> {
  const button = page.getByRole("button", { name });
  await button.click();
  await expect(page.locator("html")).toHaveAttribute("lang", name === "English" ? "en" : "zh-CN");
  await expect(button).toHaveAttribute("aria-pressed", "true");
  await expect(button).toBeEnabled();
}
