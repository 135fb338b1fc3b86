/** Users a spec makes for itself (so signing out or throttling one disturbs no other spec), and signing in as them. */
import { expect, type Page } from "@playwright/test";
import bcrypt from "bcryptjs";
import { queryAppDb } from "./db";
import { SignInPage } from "./pages/sign-in-page";

/** The password of every user a spec makes. */
export const SPEC_USER_PASSWORD = "spec-user-pass";

/** Creates the user (or finds it again) with the specs' password; returns its id. */
export async function makeUser(email: string, role: "annotator" | "lead" | "admin" | "researcher"): Promise<number> {
  const [row] = await queryAppDb<{ id: string }>(
    `insert into users (email, name, role, password_hash) values ($1, $2, $3, $4)
     on conflict (email) do update set session_version = users.session_version returning id`,
    [email, email.split("@")[0], role, bcrypt.hashSync(SPEC_USER_PASSWORD, 4)],
  );
  return Number(row!.id);
}

/** Signs in through the form as a user made by {@link makeUser}. */
export async function signIn(page: Page, email: string) {
  await new SignInPage(page).goto();
  await new SignInPage(page).fill(email, SPEC_USER_PASSWORD);
  await expect(page.getByTestId("current-user")).toBeVisible();
}
