import { readFileSync } from "node:fs";
import { expect, test } from "@playwright/test";
import { SignInPage } from "./pages/sign-in-page";

const STAFF_PAGES = ["/projects", "/characters", "/users", "/audit"];
const LEAD_PAGES = ["/users", "/audit"];

test.describe("access control", () => {
  test("an annotator is refused on researcher, lead and admin pages, and sees no data there", async ({ page }) => {
    await new SignInPage(page).signInAs("annotator");
    for (const path of STAFF_PAGES) {
      const response = await page.goto(path);
      expect(response?.status(), path).toBe(403);
      await expect(page.getByRole("heading", { name: "Not allowed" })).toBeVisible();
      const html = await response!.text();
      // No other user's email, no character profile, no audit entry in the refused page.
      expect(html).not.toContain("admin@arbiter.local");
      expect(html).not.toContain("lead@arbiter.local");
      expect(html).not.toContain("性格");
    }
  });

  test("a researcher is refused on lead pages", async ({ page }) => {
    await new SignInPage(page).signInAs("researcher");
    for (const path of LEAD_PAGES) {
      const response = await page.goto(path);
      expect(response?.status(), path).toBe(403);
    }
    expect((await page.goto("/characters"))?.status()).toBe(200);
  });

  test("routes answer 401 without a session and 403 to the wrong role, with no data", async ({ request, page }) => {
    const anonymous = await request.get("/api/users");
    expect(anonymous.status()).toBe(401);
    expect(await anonymous.json()).toEqual({ error: { code: "UNAUTHENTICATED", message: "Sign in first." } });
    expect((await request.get("/api/me")).status()).toBe(401);

    await new SignInPage(page).signInAs("annotator");
    const refused = await page.request.get("/api/users");
    expect(refused.status()).toBe(403);
    expect(await refused.text()).not.toContain("@arbiter.local");
    const me = await page.request.get("/api/me");
    expect(await me.json()).toMatchObject({ email: "annotator@arbiter.local", role: "annotator", navigation: ["/", "/history"] });
  });

  test("a lead lists users through the API", async ({ page }) => {
    await new SignInPage(page).signInAs("lead");
    const response = await page.request.get("/api/users?role=annotator");
    expect(response.status()).toBe(200);
    const body = (await response.json()) as { rows: { email: string }[]; total: number };
    expect(body.rows.map((r) => r.email).sort()).toEqual([
      "annotator2@arbiter.local",
      "annotator3@arbiter.local",
      "annotator@arbiter.local",
    ]);
    expect(body.total).toBe(3);
    const bad = await page.request.get("/api/users?pageSize=100000");
    expect(bad.status()).toBe(400);
    expect(await bad.json()).toMatchObject({ error: { code: "VALIDATION", fields: { pageSize: expect.any(Array) } } });
  });

  test("the health route reports the database: the status to anyone, the details to staff", async ({ request, page }) => {
    const health = await request.get("/api/health");
    expect(health.status()).toBe(200);
    expect(await health.json()).toEqual({ status: "ok" });
    await new SignInPage(page).signInAs("admin");
    const detailed = await page.request.get("/api/health");
    // Every committed migration is applied.
    const journal = JSON.parse(readFileSync("db/migrations/meta/_journal.json", "utf8")) as { entries: unknown[] };
    expect(await detailed.json()).toMatchObject({ status: "ok", database: { ok: true, migrations: journal.entries.length } });
  });

  test("a deactivated user is locked out at their next request", async ({ browser }) => {
    const annotatorContext = await browser.newContext();
    const annotator = await annotatorContext.newPage();
    await new SignInPage(annotator).signInAs("annotator2");

    const adminContext = await browser.newContext();
    const admin = await adminContext.newPage();
    await new SignInPage(admin).signInAs("admin");
    await admin.goto("/users");
    await admin.getByRole("button", { name: "Deactivate: annotator2@arbiter.local" }).click();
    await expect(admin.getByRole("button", { name: "Reactivate: annotator2@arbiter.local" })).toBeVisible();

    // The annotator's token is still unexpired, but the next request is refused.
    await annotator.reload();
    await expect(annotator).toHaveURL(/\/signin/);
    const signIn = new SignInPage(annotator);
    await signIn.fill("annotator2@arbiter.local", "annotator-demo-pass");
    await expect(signIn.errorAlert()).toHaveText("Email or password is incorrect.");

    // Reactivated, they can sign in again; the change is in the audit log.
    await admin.getByRole("button", { name: "Reactivate: annotator2@arbiter.local" }).click();
    await expect(admin.getByRole("button", { name: "Deactivate: annotator2@arbiter.local" })).toBeVisible();
    await signIn.fill("annotator2@arbiter.local", "annotator-demo-pass");
    await expect(annotator.getByTestId("current-user")).toBeVisible();
    await admin.goto("/audit");
    await expect(admin.getByRole("cell", { name: "user.deactivate" }).first()).toBeVisible();
    // Filtered to one action and one actor, only those entries remain.
    const filters = admin.getByRole("form", { name: "Audit log filters" });
    await filters.getByLabel("Action").selectOption("user.activate");
    await filters.getByLabel("Who (email)").fill("admin@arbiter.local");
    await filters.getByRole("button", { name: "Filter" }).click();
    await expect(admin).toHaveURL(/action=user\.activate/);
    await expect(admin.getByRole("cell", { name: "user.activate" }).first()).toBeVisible();
    await expect(admin.getByRole("cell", { name: "user.deactivate" })).toHaveCount(0);
    await annotatorContext.close();
    await adminContext.close();
  });

  test("a lead manages annotators but cannot change roles; an admin can", async ({ browser }) => {
    const leadContext = await browser.newContext();
    const lead = await leadContext.newPage();
    await new SignInPage(lead).signInAs("lead");
    await lead.goto("/users");
    await expect(lead.getByRole("button", { name: "Deactivate: annotator3@arbiter.local" })).toBeVisible();
    await expect(lead.getByRole("button", { name: "Deactivate: researcher@arbiter.local" })).toHaveCount(0);
    await expect(lead.getByRole("combobox", { name: /Change role/ })).toHaveCount(0);
    await leadContext.close();

    const adminContext = await browser.newContext();
    const admin = await adminContext.newPage();
    await new SignInPage(admin).signInAs("admin");
    await admin.goto("/users");
    await expect(admin.getByRole("combobox", { name: "Change role: researcher@arbiter.local" })).toHaveValue("researcher");
    await expect(admin.getByRole("combobox", { name: /Change role: admin@arbiter.local/ })).toHaveCount(0);
    await adminContext.close();
  });
});
