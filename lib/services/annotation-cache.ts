/**
 * What one app instance remembers between the annotator's requests, and why that is safe
 * with any number of instances: nothing here decides who gets which task, whether an
 * answer is stored or counted — the database does (db/functions/, ADR 0004). These are
 * hints that spare a read:
 *
 * - a lease's facts (owner, display order, task shape), immutable until the lease expires,
 *   so a submit on the instance that handed the lease out validates its answer without
 *   reading the lease first; another instance, or a forgotten lease, reads it instead;
 * - a project's answer rules for a few seconds;
 * - a project's completion figure for the progress bar, a few seconds old at most.
 *
 * Everything is keyed by the database handle (a WeakMap), so tests with databases of their
 * own never see each other's entries.
 */
import type { Db } from "@/db/client";
import { getProjectCompletion, getProjectSummary, type LockedTask } from "@/db/queries/assignments";
import { withDefaultSettings, type ProjectSettings } from "@/lib/validation/project-settings";

/** Project completion is a scan of the project's tasks: shown figures may be this old. */
const COMPLETION_TTL_MS = 5_000;

/**
 * What a submit checks its answer against, kept by the process that handed the lease out
 * so that a submit needs no read before its write. The owner, the display order and the
 * task's shape of a lease never change, so they are kept until the lease's time is up.
 * The project's answer rules can change: they are kept per project for PROJECT_RULES_TTL_MS
 * (every lease of the project renews them, since the lease call returns them anyway) and
 * read again when older. A submit that reaches another instance reads the lease instead.
 * Nothing here decides who gets what: arbiter_submit_judgment re-checks the lease under its
 * locks — owner, state, project and membership status, replay.
 */
export type LeaseFacts = {
  annotatorId: number;
  projectId: number;
  displayOrder: number[];
  task: Pick<LockedTask, "kind" | "scalePoints" | "candidateCount">;
  expiresAt: number;
};
const LEASE_FACTS_MAX = 50_000;
const PROJECT_RULES_TTL_MS = 5_000;
const leaseFacts = new WeakMap<Db, Map<number, LeaseFacts>>();
const projectRules = new WeakMap<Db, Map<number, { settings: ProjectSettings; at: number }>>();

function perDbMap<K, V>(maps: WeakMap<Db, Map<K, V>>, db: Db): Map<K, V> {
  let map = maps.get(db);
  if (!map) maps.set(db, (map = new Map()));
  return map;
}

export function rememberLease(db: Db, assignmentId: number, facts: LeaseFacts, settings: ProjectSettings, now: number): void {
  const leases = perDbMap(leaseFacts, db);
  leases.delete(assignmentId);
  // A Map iterates in insertion order: the first key is the oldest lease.
  if (leases.size >= LEASE_FACTS_MAX) leases.delete(leases.keys().next().value!);
  leases.set(assignmentId, facts);
  perDbMap(projectRules, db).set(facts.projectId, { settings, at: now });
}

/** The kept facts of the actor's live lease and its project's current rules, or undefined (then the caller reads them). */
export async function recalledLease(
  db: Db,
  assignmentId: number,
  annotatorId: number,
  now: number,
): Promise<(LeaseFacts & { settings: ProjectSettings }) | undefined> {
  const facts = leaseFacts.get(db)?.get(assignmentId);
  if (!facts || facts.annotatorId !== annotatorId || facts.expiresAt <= now) return undefined;
  const rules = perDbMap(projectRules, db);
  let kept = rules.get(facts.projectId);
  if (!kept || Math.abs(now - kept.at) > PROJECT_RULES_TTL_MS) {
    const project = await getProjectSummary(db, facts.projectId);
    if (!project) return undefined;
    kept = { settings: withDefaultSettings(project.settings), at: now };
    rules.set(facts.projectId, kept);
  }
  return { ...facts, settings: kept.settings };
}

export function forgetLease(db: Db, assignmentId: number): void {
  leaseFacts.get(db)?.delete(assignmentId);
}

type Completion = Awaited<ReturnType<typeof getProjectCompletion>>;
const completionCache = new WeakMap<Db, Map<number, { at: number; value: Completion }>>();

/** Project completion for the progress bar, recomputed at most every few seconds per instance. */
export async function cachedCompletion(db: Db, projectId: number): Promise<Completion> {
  let perDb = completionCache.get(db);
  if (!perDb) completionCache.set(db, (perDb = new Map()));
  const hit = perDb.get(projectId);
  const t = Date.now();
  if (hit && t - hit.at < COMPLETION_TTL_MS) return hit.value;
  const value = await getProjectCompletion(db, projectId);
  perDb.set(projectId, { at: t, value });
  return value;
}
