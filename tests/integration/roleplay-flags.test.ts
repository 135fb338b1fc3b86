import { beforeAll, describe, expect, it } from "vitest";
import { submitJudgment } from "@/lib/services/annotation";
import type { Actor } from "@/lib/services/context";
import { getRoleplayFlagCounts } from "@/lib/services/roleplay-flags";
import { addMember, makeAnnotator, makeAnnotators, makeAssignment, makeProject, makeTask, makeUser } from "../factories";
import { useTestDatabase, type TestDatabase } from "./helpers/db";
import { failure } from "./helpers/failure";

let t: TestDatabase;
beforeAll(async () => {
  t = await useTestDatabase();
});

describe("role-play flags", () => {
  it("are counted per model of the flagged reply and per annotator, from valid judgments", async () => {
    const project = await makeProject(t.db, { overlap: 2 });
    const made = await makeTask(t.db, project);
    const [a, b] = await makeAnnotators(t.db, project.id, 2);
    // a sees [B, A]: slot 0 is canonical candidate 1 (model-1).
    const asgA = await makeAssignment(t.db, made.task.id, project.id, a.id, { displayOrder: [1, 0] });
    await submitJudgment(
      { db: t.db, actor: a },
      { assignmentId: asgA.id, input: { strength: 1, roleplay_flags: { "0": ["reveals_ai", "out_of_character"] } } },
    );
    const asgB = await makeAssignment(t.db, made.task.id, project.id, b.id, { displayOrder: [0, 1] });
    await submitJudgment(
      { db: t.db, actor: b },
      { assignmentId: asgB.id, input: { strength: -1, roleplay_flags: { "1": ["reveals_ai"], "0": ["speaks_for_user"] } } },
    );

    const lead = await makeUser(t.db, { role: "lead" });
    await addMember(t.db, project.id, lead.id);
    const counts = await getRoleplayFlagCounts(
      { db: t.db, actor: { id: lead.id, email: lead.email, name: lead.name, role: "lead", locale: null } },
      { projectSlug: project.slug },
    );
    expect(counts.byModel.map((l) => [l.label, l.counts, l.total])).toEqual([
      ["model-1", { out_of_character: 1, speaks_for_user: 0, reveals_ai: 2 }, 3],
      ["model-0", { out_of_character: 0, speaks_for_user: 1, reveals_ai: 0 }, 1],
    ]);
    expect(counts.byAnnotator.map((l) => [l.key, l.total]).sort()).toEqual(
      [
        [String(a.id), 2],
        [String(b.id), 2],
      ].sort(),
    );
  });

  it("are refused where the project does not collect them, naming the field", async () => {
    const project = await makeProject(t.db, { roleplayFlags: false });
    const made = await makeTask(t.db, project);
    const a = await makeAnnotator(t.db, project.id);
    const asg = await makeAssignment(t.db, made.task.id, project.id, a.id);
    const error = await failure(
      submitJudgment({ db: t.db, actor: a }, { assignmentId: asg.id, input: { strength: 1, roleplay_flags: { "0": ["reveals_ai"] } } }),
    );
    expect(error.code).toBe("VALIDATION");
    expect(error.message).toBe("roleplay_flags: role-play flags are not collected in this project");
  });

  it("counts answer a project out of the lead's reach as missing", async () => {
    const project = await makeProject(t.db);
    const lead = await makeUser(t.db, { role: "lead" });
    const actor: Actor = { id: lead.id, email: lead.email, name: lead.name, role: "lead", locale: null };
    expect((await failure(getRoleplayFlagCounts({ db: t.db, actor }, { projectSlug: project.slug }))).code).toBe("NOT_FOUND");
  });

  it("counts are refused to an annotator", async () => {
    const project = await makeProject(t.db);
    const a: Actor = await makeAnnotator(t.db, project.id);
    expect((await failure(getRoleplayFlagCounts({ db: t.db, actor: a }, { projectSlug: project.slug }))).code).toBe("FORBIDDEN");
  });
});
