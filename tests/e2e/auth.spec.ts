import { expect, test } from "@playwright/test";
import { navigationNames, SignInPage } from "./pages/sign-in-page";

test.describe("signing in", () => {
  const expectedNavigation = {
    annotator: ["Home", "History"],
    researcher: ["Home", "History", "Projects", "Characters", "API tokens", "Model endpoints"],
    lead: ["Home", "History", "Projects", "Characters", "API tokens", "Model endpoints", "Review", "Annotators", "Users", "Audit log"],
    admin: ["Home", "History", "Projects", "Characters", "API tokens", "Model endpoints", "Review", "Annotators", "Users", "Audit log"],
  } as const;

  for (const [role, links] of Object.entries(expectedNavigation)) {
    test(`the ${role} signs in and sees the ${role}'s navigation`, async ({ page }) => {
      await new SignInPage(page).signInAs(role as keyof typeof expectedNavigation);
      expect(await navigationNames(page)).toEqual(links);
      await expect(page.getByTestId("current-user")).toContainText(
        role === "admin" ? "Admin" : role === "lead" ? "Lead" : role === "researcher" ? "Researcher" : "Annotator",
      );
    });
  }

  test("the home page lists the user's projects with their progress", async ({ page }) => {
    await new SignInPage(page).signInAs("annotator");
    const projects = page.getByRole("list", { name: "Your projects" });
    await expect(projects.getByRole("heading", { name: /Demo pairwise/ })).toBeVisible();
    // Real figures: judgments given so far out of those needed (other specs may have added some).
    const bar = projects.getByRole("progressbar").first();
    expect(Number(await bar.getAttribute("aria-valuemax"))).toBeGreaterThan(0);
    await expect(projects.getByText(/\d+ of \d+ judgments/).first()).toBeVisible();
    await expect(projects.getByRole("link", { name: /Demo pairwise/ })).toHaveAttribute("href", "/annotate/demo-roleplay");
  });

  test("a wrong password is refused without saying which field was wrong", async ({ page }) => {
    const signIn = new SignInPage(page);
    await signIn.goto();
    await signIn.fill("researcher@arbiter.local", "not-the-password");
    await expect(signIn.errorAlert()).toHaveText("Email or password is incorrect.");
    await signIn.fill("nobody@arbiter.local", "not-the-password");
    await expect(signIn.errorAlert()).toHaveText("Email or password is incorrect.");
    await expect(page).toHaveURL(/\/signin/);
  });

  test("pages redirect to sign-in without a session and come back after it", async ({ page }) => {
    await page.goto("/characters");
    await expect(page).toHaveURL(/\/signin\?callbackUrl=%2Fcharacters/);
    await new SignInPage(page).fill("researcher@arbiter.local", "researcher-demo-pass");
    await expect(page).toHaveURL(/\/characters$/);
    await expect(page.getByRole("heading", { name: "Characters" })).toBeVisible();
  });

  test("signing out ends the session", async ({ page }) => {
    await new SignInPage(page).signInAs("researcher");
    await page.getByRole("link", { name: "Sign out" }).click();
    await page.getByRole("button", { name: "Sign out" }).click();
    await expect(page).toHaveURL(/\/signin/);
    await page.goto("/projects");
    await expect(page).toHaveURL(/\/signin/);
  });

  test("the UI switches to Simplified Chinese and remembers it", async ({ page }) => {
    await new SignInPage(page).signInAs("annotator3");
    await page.getByRole("button", { name: "简体中文" }).click();
    await expect(page.getByRole("heading", { name: "我的项目" })).toBeVisible();
    await page.reload();
    await expect(page.getByRole("navigation", { name: "主导航" }).getByRole("link", { name: "首页" })).toBeVisible();
    // Content is shown as written, whatever the UI language.
    await expect(page.getByRole("heading", { name: /演示：角色扮演两两比较/ })).toBeVisible();
    await page.getByRole("button", { name: "English" }).click();
    await expect(page.getByRole("heading", { name: "Your projects" })).toBeVisible();
  });
});
