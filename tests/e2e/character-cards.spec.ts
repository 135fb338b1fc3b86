import { expect, test } from "@playwright/test";
import { jsonBytes, pngCard, v2Card, v3Card } from "../factories/character-cards";
import { SignInPage } from "./pages/sign-in-page";

const file = (name: string, bytes: Uint8Array, mimeType: string) => ({ name, mimeType, buffer: Buffer.from(bytes) });

test("a researcher imports character cards of each kind on the characters page; a broken card is refused by field", async ({ page }) => {
  await new SignInPage(page).signInAs("researcher");
  await page.getByRole("link", { name: "Characters" }).click();
  await page.getByText("Import character cards").click();

  // A broken card refuses the whole upload, naming the file and the field.
  await page
    .getByLabel("Card files (.json, .png)")
    .setInputFiles([
      file("e2e-good.json", jsonBytes(v2Card({ name: "E2E Refused Mara" })), "application/json"),
      file("e2e-broken.json", jsonBytes(v2Card({ name: "E2E Broken", tags: [1] })), "application/json"),
    ]);
  await page.getByRole("button", { name: "Import cards" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "e2e-broken.json: data.tags.0: must be a string (got number)" })).toBeVisible();
  await expect(page.getByRole("link", { name: "E2E Refused Mara" })).toHaveCount(0);

  // JSON V2, PNG V2 (chara chunk) and PNG V3 (ccv3 chunk).
  await page
    .getByLabel("Card files (.json, .png)")
    .setInputFiles([
      file("e2e-mara.json", jsonBytes(v2Card({ name: "E2E Mara JSON" })), "application/json"),
      file("e2e-mara.png", pngCard(v2Card({ name: "E2E Mara PNG" })), "image/png"),
      file("e2e-lin.png", pngCard(v3Card({ name: "E2E 林晚" })), "image/png"),
    ]);
  await page.getByLabel("Name for {{user}} (optional)").fill("Alex");
  await page.getByRole("button", { name: "Import cards" }).click();
  const status = page.getByRole("status").filter({ hasText: "3 created" });
  await expect(status).toBeVisible();
  await expect(status).toContainText("chara_card_v2");
  await expect(status).toContainText("chara_card_v3");

  await status.getByRole("link", { name: "E2E Mara PNG" }).click();
  await expect(page.getByText("Alex has stowed away aboard the Kestrel.")).toBeVisible();
  await expect(page.getByText("E2E Mara PNG commands the airship Kestrel.", { exact: false }).first()).toBeVisible();
});
