import { countRoleplayFlags } from "@/db/queries/roleplay-flags";
import { can } from "@/lib/auth/permissions";
import { ROLEPLAY_FLAGS, type RoleplayFlag } from "@/lib/domain/preference";
import { forbiddenError } from "@/lib/errors";
import type { ServiceContext } from "./context";
import { requireProjectFor } from "./project-access";

/** One line of the dashboard's role-play flag table: a model or an annotator, and its count per flag. */
export type RoleplayFlagLine = { key: string; label: string; counts: Record<RoleplayFlag, number>; total: number };

function lines(rows: { key: string; label: string; flag: string; replies: number }[]): RoleplayFlagLine[] {
  const byKey = new Map<string, RoleplayFlagLine>();
  for (const r of rows) {
    if (!(ROLEPLAY_FLAGS as readonly string[]).includes(r.flag)) continue;
    const line = byKey.get(r.key) ?? {
      key: r.key,
      label: r.label,
      counts: { out_of_character: 0, speaks_for_user: 0, reveals_ai: 0 },
      total: 0,
    };
    line.counts[r.flag as RoleplayFlag] += r.replies;
    line.total += r.replies;
    byKey.set(r.key, line);
  }
  return [...byKey.values()].sort((a, b) => b.total - a.total || a.label.localeCompare(b.label));
}

/**
 * How often each model's replies were flagged out of character, speaking for the user or
 * revealing that they are an AI (valid judgments), and how often each annotator gave
 * those flags. Permission `stats.read`.
 */
export async function getRoleplayFlagCounts(ctx: ServiceContext, input: { projectSlug: string }) {
  if (!can(ctx.actor.role, "stats.read")) throw forbiddenError();
  // A project out of the actor's reach answers as a missing one.
  const project = await requireProjectFor(ctx, input.projectSlug);
  const { byModel, byAnnotator } = await countRoleplayFlags(ctx.db, project.id);
  return { byModel: lines(byModel), byAnnotator: lines(byAnnotator) };
}
