import { z } from "zod";
import { listAuditEntries } from "@/db/queries/audit";
import { can } from "@/lib/auth/permissions";
import { forbidden } from "@/lib/errors";
import { parseInput } from "@/lib/validation/parse";
import type { ServiceContext } from "./context";

export const AuditListInput = z.object({
  action: z.string().trim().max(100).optional(),
  page: z.coerce.number().int().min(1).max(100000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(100),
});

/** The audit log, newest first (leads and admins). */
export async function listAuditPage(ctx: ServiceContext, raw: unknown) {
  if (!can(ctx.actor.role, "audit.read")) throw forbidden();
  const input = parseInput(AuditListInput, raw);
  const rows = await listAuditEntries(ctx.db, {
    action: input.action || undefined,
    limit: input.pageSize,
    offset: (input.page - 1) * input.pageSize,
  });
  return { rows, page: input.page, pageSize: input.pageSize };
}
