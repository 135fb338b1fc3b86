import { expect, test } from "@playwright/test";
import { DEMO, SignInPage } from "./pages/sign-in-page";

test.describe("sign-in without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("posts the form, signs in, and no URL or history entry holds the password", async ({ page }) => {
    const urls: { method: string; url: string }[] = [];
    page.on("request", (r) => urls.push({ method: r.method(), url: r.url() }));
    await page.goto("/signin?callbackUrl=%2Fprojects");
    await page.getByLabel("Email").fill(DEMO.researcher.email);
    await page.getByLabel("Password").fill(DEMO.researcher.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByTestId("current-user")).toBeVisible();
    await expect(page).toHaveURL(/\/projects$/);
    const secret = encodeURIComponent(DEMO.researcher.password);
    for (const { url } of urls) {
      expect(url).not.toContain("password=");
      expect(url).not.toContain(secret);
    }
    // The credentials went in a POST body.
    expect(urls.some((u) => u.method === "POST" && new URL(u.url).pathname === "/signin")).toBe(true);
  });

  test("a wrong password shows the usual error and keeps the email, not the password", async ({ page }) => {
    await page.goto("/signin");
    await page.getByLabel("Email").fill(DEMO.annotator.email);
    await page.getByLabel("Password").fill("not-the-password");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(new SignInPage(page).errorAlert()).toContainText(/incorrect|wrong|not match|invalid/i);
    expect(page.url()).not.toContain("not-the-password");
    await expect(page.getByLabel("Email")).toHaveValue(DEMO.annotator.email);
    await expect(page.getByLabel("Password")).toHaveValue("");
  });
});

test("with JavaScript the same form signs in without a page load and follows a same-origin callback only", async ({ page }) => {
  await page.goto("/signin?callbackUrl=%2F%5Cevil.example");
  await page.getByLabel("Email").fill(DEMO.annotator.email);
  await page.getByLabel("Password").fill(DEMO.annotator.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByTestId("current-user")).toBeVisible();
  expect(new URL(page.url()).host).toBe(new URL(test.info().project.use.baseURL!).host);
});
