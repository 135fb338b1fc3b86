/**
 * Background upkeep against the production build: two annotators disagree on one task of a
 * project with adaptive overlap and active pair sampling; without anyone pressing a button,
 * the task is asked for a third judgment and the dashboard says what the last run did. The
 * e2e server runs the upkeep every 2 s (tests/e2e/server.ts); the demo projects ask for none.
 */
import { expect, test } from "@playwright/test";
import { E2E_BASE_URL } from "./config";
import { queryAppDb as query } from "./db";
import { makeUser, signIn } from "./users";

test("an uncertain task is asked for another judgment in the background, and the dashboard says so", async ({ browser }) => {
  const slug = `upkeep-${Date.now().toString(36)}`;
  const settings = {
    mode: "pairwise",
    scalePoints: 3,
    overlap: 2,
    dimensions: [],
    goldRatio: 0,
    maxLeasesPerAnnotator: 1,
    pairing: "all_pairs",
    adaptiveOverlap: { extra: 1, minPosterior: 0.9, method: "majority" },
    pairSampling: "active",
  };
  const [project] = await query<{ id: string }>(
    `insert into projects (slug, name, status, mode, scale_points, overlap, settings)
     values ($1, $2, 'active', 'pairwise', 3, 2, $3) returning id`,
    [slug, `Upkeep ${slug}`, JSON.stringify(settings)],
  );
  const people = [`${slug}-a@arbiter.local`, `${slug}-b@arbiter.local`];
  const ids = [
    await makeUser(people[0]!, "annotator"),
    await makeUser(people[1]!, "annotator"),
    await makeUser(`${slug}-admin@arbiter.local`, "admin"),
  ];
  for (const id of ids) await query(`insert into project_members (project_id, user_id) values ($1, $2)`, [project!.id, id]);

  const admin = await browser.newContext();
  const page = await admin.newPage();
  await signIn(page, `${slug}-admin@arbiter.local`);
  const lines = ["split", "agreed"].map((ext) =>
    JSON.stringify({
      external_id: ext,
      character: { name: "林黛玉", profile: { 性格: "多愁善感" } },
      context: [{ role: "user", content: `今天去哪儿了？(${ext})` }],
      candidates: [
        { model: "model-x", content: `X: 去园子里葬花了。(${ext})` },
        { model: "model-y", content: `Y: 在屋里读书。(${ext})` },
      ],
    }),
  );
  const imported = await page.request.post(`/api/projects/${slug}/import?format=jsonl`, {
    data: `${lines.join("\n")}\n`,
    headers: { "content-type": "application/x-ndjson", origin: E2E_BASE_URL },
  });
  expect(imported.status(), await imported.text()).toBe(200);

  // Both prefer X on "agreed"; on "split" the first prefers X and the second Y.
  for (const [email, splitWinner] of [
    [people[0]!, "X"],
    [people[1]!, "Y"],
  ] as const) {
    const context = await browser.newContext();
    const annotator = await context.newPage();
    await signIn(annotator, email);
    for (let k = 0; k < 2; k++) {
      const next = await annotator.request.post(`/api/projects/${slug}/tasks/next`, { data: {} });
      expect(next.status()).toBe(200);
      const lease = (await next.json()) as { assignment: { id: number }; candidates: { content: string }[] };
      const winner = lease.candidates[0]!.content.includes("(split)") ? splitWinner : "X";
      const shownFirst = lease.candidates[0]!.content.startsWith(`${winner}:`);
      const res = await annotator.request.post(`/api/assignments/${lease.assignment.id}/judgment`, {
        data: { strength: shownFirst ? -1 : 1, seconds: 8 },
      });
      expect(res.status(), await res.text()).toBe(200);
    }
    await context.close();
  }

  // Nobody presses anything: the background run asks the split task for a third judgment.
  await expect
    .poll(
      async () =>
        (
          await query<{ overlap: number }>(
            `select t.overlap from tasks t join items i on i.id = t.item_id where i.project_id = $1 and i.external_id = 'split'`,
            [project!.id],
          )
        )[0]!.overlap,
      { timeout: 30_000 },
    )
    .toBe(3);
  const [audited] = await query<{ actor_id: string | null; details: { automatic?: boolean; tasks?: number } }>(
    `select actor_id, details from audit_log where project_id = $1 and action = 'task.extend'`,
    [project!.id],
  );
  expect(audited).toMatchObject({ actor_id: null, details: { automatic: true, tasks: 1 } });

  // A run may also have come between the judgments; the one after the last judgment sees the split task uncertain.
  await page.goto(`/projects/${slug}/dashboard`);
  const note = page.getByText("Kept current in the background as judgments arrive: adaptive overlap and active pair sampling.");
  await expect
    .poll(
      async () => {
        await page.reload();
        return note.textContent();
      },
      { timeout: 30_000 },
    )
    .toMatch(/Last run .+: [01] of 1 uncertain tasks asked for another judgment; \d of [01] open tasks re-ranked/);
  // The reopened task is served to an annotator who has not judged it.
  const third = await makeUser(`${slug}-c@arbiter.local`, "annotator");
  await query(`insert into project_members (project_id, user_id) values ($1, $2)`, [project!.id, third]);
  const context = await browser.newContext();
  const annotator = await context.newPage();
  await signIn(annotator, `${slug}-c@arbiter.local`);
  const next = await annotator.request.post(`/api/projects/${slug}/tasks/next`, { data: {} });
  expect(next.status()).toBe(200);
  expect(((await next.json()) as { candidates: { content: string }[] }).candidates[0]!.content).toContain("(split)");
  await context.close();
  await admin.close();
});
