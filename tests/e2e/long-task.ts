/**
 * A long role-play task for end-to-end tests (a full persona, a six-turn dialogue, replies
 * of 150 words), in a project of its own made straight in the app's database and filled
 * through the import API as the researcher.
 */
import { expect, type Browser } from "@playwright/test";
import { ProjectSettings } from "@/lib/validation/project-settings";
import { E2E_BASE_URL } from "./config";
import { queryAppDb as query } from "./db";
import { DEMO, SignInPage } from "./pages/sign-in-page";

const words = (n: number, seed: string) => {
  const pool =
    `${seed} the airship groaned as the storm rolled over the harbour and the captain kept her hand on the wheel while lanterns swung above the deck and somebody below was singing an old sailors song about home`.split(
      " ",
    );
  return `${Array.from({ length: n }, (_, i) => pool[(i * 7 + seed.length) % pool.length]).join(" ")}.`;
};

export const persona = {
  name: "Captain Mara Voss",
  profile: {
    gender: "female",
    age: "38",
    height: "1.78 m",
    nickname: ["the Kestrel's Ghost", "Mad Mara"],
    personality: words(45, "dry"),
    background: words(120, "born"),
    speaking_style: words(30, "clipped"),
    catchphrases: ["Wind pays, we fly.", "Nobody rides free on my ship.", "Hold fast."],
    relationships: { first_mate: "Ilya Brandt", rival: "Commodore Hale", sister: "Tessa Voss" },
    source_work: "Original (Arbiter end-to-end tests)",
    language: "English",
    ship: "The Kestrel, a brass-hulled airship with a cracked keel",
    fears: words(25, "storms"),
  },
};

const dialogue = [
  { role: "assistant", content: words(50, "Who") },
  { role: "user", content: words(40, "I") },
  { role: "assistant", content: words(60, "Then") },
  { role: "user", content: words(45, "Please") },
  { role: "assistant", content: words(55, "Listen") },
  { role: "user", content: `LAST USER TURN: ${words(40, "Where")}` },
];

export function longLine(id: string, replies: number) {
  return {
    external_id: id,
    character: persona,
    scene: words(35, "Night"),
    context: dialogue,
    candidates: Array.from({ length: replies }, (_, i) => ({ model: `model-${i}`, content: words(150, `Reply${i}`) })),
  };
}

export async function createProject(slug: string, settings: Partial<ProjectSettings>) {
  const parsed = ProjectSettings.parse(settings);
  await query(
    `insert into projects (slug, name, status, mode, scale_points, overlap, settings)
     values ($1, $2, 'active', $3, $4, $5, $6) on conflict (slug) do nothing`,
    [slug, `Layout ${slug}`, parsed.mode, parsed.scalePoints, parsed.overlap, JSON.stringify(parsed)],
  );
  await query(
    `insert into project_members (project_id, user_id, status)
     select p.id, u.id, 'active' from projects p, users u where p.slug = $1 and u.email = any($2) on conflict do nothing`,
    // Staff reach only the projects they are members of.
    [slug, [DEMO.annotator2.email, DEMO.researcher.email, DEMO.lead.email]],
  );
}

/** Imports JSONL lines into a project through POST /api/projects/{slug}/import, as the researcher. */
export async function importLines(browser: Browser, slug: string, lines: unknown[]) {
  const page = await browser.newPage();
  await new SignInPage(page).signInAs("researcher");
  const response = await page.request.post(`/api/projects/${slug}/import?format=jsonl`, {
    headers: { "Content-Type": "application/x-ndjson", Origin: E2E_BASE_URL },
    data: lines.map((l) => JSON.stringify(l)).join("\n"),
  });
  expect(response.status(), await response.text()).toBe(200);
  await page.close();
}
