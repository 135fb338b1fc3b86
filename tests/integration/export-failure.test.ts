import { Writable } from "node:stream";
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { auditLog, exportsTable } from "@/db/schema";
import type { BundleWriter } from "@/lib/services/export-bundle";
import { buildExport, listExports } from "@/lib/services/exports";
import type { Actor } from "@/lib/services/context";
import { actorOf, addMember, makeExportTask, makeProject, makeUser } from "../factories";
import { useTestDatabase, type TestDatabase } from "./helpers/db";

let t: TestDatabase;
let researcher: Actor;
beforeAll(async () => {
  t = await useTestDatabase();
  const u = await makeUser(t.db, { role: "researcher" });
  researcher = actorOf(u);
});

const SECRET_DETAIL = "EACCES: permission denied, open '/srv/arbiter/exports/.building-7f3a/train.jsonl.partial'";

/** A writer whose disk fails the way a real one does: an internal message with a server path. */
function failingWriter(): BundleWriter {
  return {
    open: () =>
      new Writable({
        write(_chunk, _enc, cb) {
          cb(new Error(SECRET_DETAIL));
        },
      }),
    commit: async () => undefined,
    abort: async () => undefined,
  };
}

describe("a failed export", () => {
  it("shows staff a clear message with an id; the raw error goes only to the log and the audit entry", async () => {
    const project = await makeProject(t.db, { overlap: 1 });
    await addMember(t.db, project.id, researcher.id);
    await makeExportTask(t.db, project, {
      replies: [
        { model: "m1", content: "a" },
        { model: "m2", content: "b" },
      ],
    });
    const logged = vi.spyOn(console, "error").mockImplementation(() => undefined);
    let thrown: Error | undefined;
    try {
      await buildExport({ db: t.db, actor: researcher }, { projectSlug: project.slug, kind: "raw", writer: failingWriter() });
    } catch (error) {
      thrown = error as Error;
    }
    const logLines = logged.mock.calls.map((c) => c.map(String).join(" ")).join("\n");
    logged.mockRestore();

    expect(thrown).toBeDefined();
    expect(thrown!.message).not.toContain("EACCES");
    const [record] = await t.db.select().from(exportsTable).where(eq(exportsTable.projectId, project.id));
    expect(record!.status).toBe("failed");
    expect(record!.error).not.toContain("EACCES");
    expect(record!.error).not.toContain("/srv/");
    const id = /error ([A-Za-z0-9-]{6,})/.exec(record!.error ?? "")?.[1];
    expect(id, `no lookup id in "${record!.error}"`).toBeDefined();
    expect(thrown!.message).toContain(id!);
    // What staff list shows is the same clear message.
    const listed = await listExports({ db: t.db, actor: researcher }, { projectSlug: project.slug });
    expect(listed[0]!.error).toBe(record!.error);
    // Operators find the raw cause by the id: in the log and in the audit entry.
    expect(logLines).toContain(id!);
    expect(logLines).toContain("EACCES");
    const audit = await t.db.select().from(auditLog).where(eq(auditLog.projectId, project.id));
    const failed = audit.find((a) => a.action === "export.fail");
    expect(failed?.details).toMatchObject({ errorId: id, error: expect.stringContaining("EACCES") });
  });
});
