import { z } from "zod";
import { listAuditActions, listAuditEntries } from "@/db/queries/audit";
import { getUserByEmail } from "@/db/queries/users";
import { can } from "@/lib/auth/permissions";
import { forbiddenError } from "@/lib/errors";
import { parseInput } from "@/lib/validation/parse";
import type { ServiceContext } from "./context";
import { findProjectFor, reachableProjectIds } from "./project-access";

const Day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "must be a date (YYYY-MM-DD)");

export const AuditListInput = z.object({
  action: z.string().trim().max(100).optional(),
  actor: z.string().trim().max(320).optional(),
  project: z.string().trim().max(63).optional(),
  from: Day.optional(),
  to: Day.optional(),
  page: z.coerce.number().int().min(1).max(100000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(100),
});

/**
 * The audit log, newest first (leads and admins), filtered by action, actor email,
 * project slug and an inclusive date range (UTC days). An unknown actor or project
 * matches nothing rather than everything.
 */
export async function listAuditPage(ctx: ServiceContext, raw: unknown) {
  if (!can(ctx.actor.role, "audit.read")) throw forbiddenError();
  const input = parseInput(AuditListInput, raw);
  const [actor, project, actions] = await Promise.all([
    input.actor ? getUserByEmail(ctx.db, input.actor) : undefined,
    input.project ? findProjectFor(ctx, input.project) : undefined,
    listAuditActions(ctx.db),
  ]);
  const nothing = (input.actor && !actor) || (input.project && !project);
  const rows = nothing
    ? []
    : await listAuditEntries(ctx.db, {
        action: input.action || undefined,
        actorId: actor?.id,
        projectId: project?.id,
        // Entries of projects the reader does not reach stay hidden; system entries stay.
        projectIds: project ? undefined : await reachableProjectIds(ctx),
        from: input.from ? new Date(`${input.from}T00:00:00Z`) : undefined,
        to: input.to ? new Date(`${input.to}T23:59:59.999Z`) : undefined,
        limit: input.pageSize,
        offset: (input.page - 1) * input.pageSize,
      });
  return { rows, actions, page: input.page, pageSize: input.pageSize, filters: input };
}
