/**
 * A lead freezes a live turn into a static task: the same context (the persona, the
 * conversation as it was, the user message) and the same replies become one item of a
 * static project, so other annotators judge it in their queue. That gives overlap,
 * agreement and gold on live data. The item goes through the importer (one JSONL line),
 * so its tasks are planned exactly as for any imported item, and freezing the same turn
 * again is a no-op.
 */
import { loadSessionWithRecords } from "@/db/queries/live";
import { can } from "@/lib/auth/permissions";
import { indexNodes, liveScene, sessionLanguage, turnContext, type LiveSessionExport } from "@/lib/domain/live";
import type { ScalePoints } from "@/lib/domain/preference";
import { AppError, conflictError, forbiddenError, notFoundError } from "@/lib/errors";
import { FreezeTurnInput } from "@/lib/validation/live";
import { parseInput } from "@/lib/validation/parse";
import type { ServiceContext } from "./context";
import { assertReachesProject, findProjectFor } from "./project-access";
import { importItems, type ImportResult } from "./import";
import { parseId, toLiveTree } from "./live";

/** The import line of a frozen turn (external id `live-s<session>-t<turn>`). */
export function frozenTurnLine(
  session: LiveSessionExport,
  turnId: string,
  models: readonly string[],
  texts: readonly string[],
): Record<string, unknown> {
  const byId = indexNodes(session.tree.nodes);
  const turn = session.tree.turns.find((t) => t.id === turnId);
  if (!turn) throw new Error(`turn ${turnId} is not in the session`);
  const language = sessionLanguage(session);
  const scene = liveScene(session.scene, session.userRole, language);
  return {
    external_id: `live-s${session.sessionId}-t${turnId}`,
    character: { name: session.character.name, profile: session.character.profile },
    ...(scene ? { scene } : {}),
    context: turnContext(byId, turn),
    candidates: texts.map((content, i) => ({ model: models[i], content })),
    metadata: { source: "live", session_id: Number(session.sessionId), turn_id: Number(turnId), labels: turn.slots.map((s) => s.label) },
  };
}

/**
 * Freezes turn `turnId` of session `sessionId` into the static project `targetProject`.
 * Every slot of the turn must hold a reply. Permission `live.freeze` (leads).
 */
export async function freezeLiveTurn(
  ctx: ServiceContext,
  params: { sessionId: unknown; turnId: unknown; input: unknown },
): Promise<{ externalId: string; import: ImportResult }> {
  if (!can(ctx.actor.role, "live.freeze")) throw forbiddenError();
  const sessionId = parseId(params.sessionId, "The session");
  const turnId = parseId(params.turnId, "The turn");
  const { targetProject } = parseInput(FreezeTurnInput, params.input);
  const found = await loadSessionWithRecords(ctx.db, sessionId);
  if (!found) throw notFoundError("The session");
  const { context: c, records } = found;
  await assertReachesProject(ctx, c.session.projectId, "The session");
  const target = await findProjectFor(ctx, targetProject);
  if (!target) throw notFoundError(`The project "${targetProject}"`);
  if (target.kind === "live")
    throw new AppError("VALIDATION", "targetProject: must be a static project", { targetProject: ["must be a static project"] });
  const turn = records.turns.find((t) => t.id === turnId);
  if (!turn) throw notFoundError("The turn");
  const judgment = records.judgments.find((j) => j.turnId === turnId);
  const own = records.nodes.filter((n) => n.turnId === turnId && n.kind === "candidate");
  const compared = judgment
    ? judgment.candidateNodeIds.map((id) => own.find((n) => n.id === id)!)
    : turn.labels.map((_, slot) => own.filter((n) => n.slot === slot).sort((a, b) => b.id - a.id)[0]);
  if (compared.some((n) => !n)) throw conflictError("Every reply of the turn must be complete before it is frozen.");
  if (target.mode === "pairwise" && compared.length > 2 && target.settings.pairing !== "all_pairs" && !target.settings.baselineModel) {
    throw conflictError("The target project cannot pair these replies.");
  }
  const session: LiveSessionExport = {
    sessionId: String(sessionId),
    character: { name: c.character.name, profile: c.character.profile },
    scene: c.session.scene,
    userRole: c.session.userRole,
    scalePoints: c.project.scalePoints as ScalePoints,
    tree: toLiveTree(c.session, records),
  };
  const line = frozenTurnLine(
    session,
    String(turnId),
    compared.map((n) => n!.model ?? n!.endpointName ?? "unknown"),
    compared.map((n) => n!.text),
  );
  const result = await importItems(ctx, { projectSlug: target.slug, source: [`${JSON.stringify(line)}\n`], format: "jsonl" });
  if (!result.ok) throw conflictError(`The turn could not be frozen: ${result.problems[0]?.message ?? "the importer refused it"}.`);
  return { externalId: String(line.external_id), import: result };
}
