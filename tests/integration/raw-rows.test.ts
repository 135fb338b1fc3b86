/**
 * `RawRow` (db/queries/rows.ts) types raw SQL rows from the schema. The type checks below fail
 * `tsc` when a column is renamed or a wrong key is read; the queries check that the wire types
 * it claims are the ones node-postgres really returns for each kind of column.
 */
import { sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { beforeAll, describe, expect, expectTypeOf, it } from "vitest";
import type { RawRow, Wire } from "@/db/queries/rows";
import { assignments, judgments, projectMembers, tasks } from "@/db/schema";
import { addMember, makeAssignment, makeProject, makeTask, makeUser } from "../factories";
import { type TestDatabase, useTestDatabase } from "./helpers/db";

let t: TestDatabase;
beforeAll(async () => {
  t = await useTestDatabase();
});

describe("RawRow types", () => {
  it("keys a row by the columns' SQL names and types it as node-postgres returns it", () => {
    type Row = RawRow<typeof tasks, "id" | "projectId" | "candidateIds" | "overlap" | "gold" | "goldRetiredAt">;
    expectTypeOf<Row>().toHaveProperty("project_id");
    expectTypeOf<Row["id"]>().toEqualTypeOf<string>();
    expectTypeOf<Row["project_id"]>().toEqualTypeOf<string>();
    expectTypeOf<Row["candidate_ids"]>().toEqualTypeOf<string[]>();
    expectTypeOf<Row["overlap"]>().toEqualTypeOf<number>();
    expectTypeOf<Row["gold_retired_at"]>().toEqualTypeOf<string | null>();
    expectTypeOf<Wire<typeof assignments.displayOrder>>().toEqualTypeOf<number[]>();
    expectTypeOf<Wire<typeof projectMembers.status>>().toEqualTypeOf<"active" | "paused" | "qualification" | "removed">();
  });

  it("fails the type check on a column the table does not have, or a key the row does not carry", () => {
    // @ts-expect-error: a renamed column (tasks has no `overlapCount`) is no longer a key of the table
    type Renamed = RawRow<typeof tasks, "overlapCount">;
    const row = {} as RawRow<typeof tasks, "projectId">;
    // @ts-expect-error: the row is keyed by the SQL name, not the TypeScript one
    void row.projectId;
    // @ts-expect-error: a column that was not selected is not in the row
    void row.overlap;
    expectTypeOf<Renamed>().not.toBeNever();
  });
});

describe("RawRow at runtime", () => {
  it("matches what a raw select of those columns returns", async () => {
    const project = await makeProject(t.db);
    const user = await makeUser(t.db);
    await addMember(t.db, project.id, user.id);
    const { task } = await makeTask(t.db, project, { gold: { strength: 1 } });
    await makeAssignment(t.db, task.id, project.id, user.id, { displayOrder: [1, 0] });
    const k = alias(tasks, "k");
    const { rows } = await t.db.execute<
      RawRow<typeof tasks, "id" | "projectId" | "candidateIds" | "overlap" | "gold" | "goldRetiredAt" | "createdAt"> &
        RawRow<typeof assignments, "displayOrder"> &
        RawRow<typeof projectMembers, "status">
    >(sql`
      select ${k.id}, ${k.projectId}, ${k.candidateIds}, ${k.overlap}, ${k.gold}, ${k.goldRetiredAt}, ${k.createdAt},
             ${assignments.displayOrder}, ${projectMembers.status}
        from ${tasks} k join ${assignments} on ${assignments.taskId} = ${k.id}
        join ${projectMembers} on ${projectMembers.projectId} = ${k.projectId}
       where ${k.id} = ${task.id}`);
    const r = rows[0]!;
    expect(r).toEqual({
      id: String(task.id),
      project_id: String(project.id),
      candidate_ids: task.candidateIds.map(String),
      overlap: project.overlap,
      gold: { strength: 1 },
      gold_retired_at: null,
      created_at: expect.any(String),
      display_order: [1, 0],
      status: "active",
    });
    expect(new Date(r.created_at)).toEqual(task.createdAt);
  });

  it("types a nullable bigint as text or null", async () => {
    const { rows } = await t.db.execute<RawRow<typeof judgments, "id">>(sql`select ${judgments.id} from ${judgments} limit 0`);
    expectTypeOf(rows).toEqualTypeOf<{ id: string }[]>();
    expect(rows).toEqual([]);
  });
});
