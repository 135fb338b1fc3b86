/**
 * Background upkeep: the batch steps that keep a static project's statistics-driven serving
 * current as judgments arrive, without anyone running a command.
 *
 * - `adaptiveOverlap.extra > 0`: the project's consensus model is refitted and complete
 *   tasks that stay uncertain get one more judgment (extendUncertainTasks, `automatic`:
 *   audited as the platform's own change, with no actor).
 * - `pairSampling: active`: then the open pair tasks are re-ranked from a refit of the
 *   sampling model (refreshPairSamplingOf), so the engine keeps serving informative pairs first.
 *
 * A project is due when judgments were written since its last run began and that run began
 * at least an interval ago (ARBITER_UPKEEP_SECONDS, default 60; 0 = off), or ten times its
 * duration when that is longer, so slow fits keep the process busy a tenth of the time at
 * most (db/queries/upkeep.ts). The claim in
 * `project_upkeep` keeps two processes (app instances, `npm run worker`) off the same project;
 * a crashed run's claim lapses. The loop runs beside the generation worker: in `npm run
 * dev` / `npm start` unless ARBITER_WORKER=0, and in `npm run worker`. The commands and the
 * dashboard button stay for running a step at once.
 */
import { inspect } from "node:util";
import type { Db } from "@/db/client";
import { claimUpkeep, finishUpkeep, selectDueUpkeepProjects, selectUpkeep } from "@/db/queries/upkeep";
import { can } from "@/lib/auth/permissions";
import { describeError, forbiddenError } from "@/lib/errors";
import { parseInput } from "@/lib/validation/parse";
import { ProjectSlugInput } from "@/lib/validation/projects";
import { withDefaultSettings } from "@/lib/validation/project-settings";
import type { CliContext, ServiceContext } from "./context";
import { findProjectFor, requireProjectFor } from "./project-access";
import { extendUncertainTasks } from "./consensus";
import { refreshPairSamplingOf } from "./pair-sampling";

/** Seconds between a project's runs when ARBITER_UPKEEP_SECONDS is not set. */
const DEFAULT_UPKEEP_SECONDS = 60;
/** How long a claim holds: longer than any fit takes, short enough that a crash is soon forgotten. */
const CLAIM_SECONDS = 600;

export type UpkeepRun = {
  project: string;
  /** Open tasks re-ranked and how many changed, with `pairSampling: active`. */
  ranks?: { votes: number; tasks: number; changed: number };
  /** Tasks asked for one more judgment, with adaptive overlap on. */
  extended?: { tasks: number; uncertain: number };
  error?: string;
  ms: number;
};

/**
 * One pass: every due project this process can claim, one after another. A project's error
 * is recorded on its row and in the result; it does not stop the others. The row keeps the
 * message a client would be told (staff read it on the dashboard); an unexpected error's
 * text and stack, which may hold SQL and values, go to `log` only.
 */
export async function runProjectUpkeep(
  db: Db,
  options: { intervalSeconds: number; log?: (message: string) => void },
): Promise<UpkeepRun[]> {
  const log = options.log ?? ((m: string) => console.error(`[upkeep] ${m}`));
  const cli: CliContext = { db, actor: null };
  const runs: UpkeepRun[] = [];
  for (const due of await selectDueUpkeepProjects(db, options.intervalSeconds)) {
    const claim = await claimUpkeep(db, due.id, options.intervalSeconds, CLAIM_SECONDS);
    if (claim === null) continue;
    const started = performance.now();
    const run: UpkeepRun = { project: due.slug, ms: 0 };
    try {
      const project = await findProjectFor(cli, due.slug);
      if (!project) throw new Error("the project is no longer there");
      const settings = withDefaultSettings(project.settings);
      if (settings.adaptiveOverlap.extra > 0) {
        const r = await extendUncertainTasks(cli, { projectSlug: due.slug }, { automatic: true });
        run.extended = { tasks: r.extended.length, uncertain: r.uncertain };
      }
      // After the extension, so that tasks it opens again are ranked with the rest.
      if (settings.pairSampling === "active") {
        const r = await refreshPairSamplingOf(db, project.id, "active");
        run.ranks = { votes: r.votes, tasks: r.tasks, changed: r.changed };
      }
    } catch (error) {
      const answer = describeError(error, { fallback: "An unexpected error; the server log has its details." });
      run.error = answer.message;
      // inspect: the stack with its cause chain (drizzle wraps the database's error), as the API's log shows it.
      if (answer.unexpected) log(`${due.slug}: unexpected error: ${inspect(error)}`);
    }
    run.ms = Math.round(performance.now() - started);
    const { project: _slug, ...result } = run;
    await finishUpkeep(db, due.id, claim, result);
    runs.push(run);
  }
  return runs;
}

/** A project's upkeep as the dashboard shows it: which steps it asks for and what the last run did. */
export type ProjectUpkeepView = {
  adaptiveOverlap: boolean;
  activeSampling: boolean;
  last: {
    startedAt: string;
    /** Null while the run is in progress. */
    finishedAt: string | null;
    result: Omit<UpkeepRun, "project">;
  } | null;
};

/** Which upkeep steps a project asks for and what its last run did. Staff ("stats.read"). */
export async function getProjectUpkeep(ctx: ServiceContext, raw: unknown): Promise<ProjectUpkeepView> {
  if (!can(ctx.actor.role, "stats.read")) throw forbiddenError();
  const { projectSlug } = parseInput(ProjectSlugInput, raw);
  const project = await requireProjectFor(ctx, projectSlug);
  const settings = withDefaultSettings(project.settings);
  const row = await selectUpkeep(ctx.db, project.id);
  return {
    adaptiveOverlap: project.kind === "static" && settings.adaptiveOverlap.extra > 0,
    activeSampling: project.kind === "static" && settings.pairSampling === "active",
    last:
      row?.startedAt == null
        ? null
        : {
            startedAt: row.startedAt.toISOString(),
            finishedAt: row.claimedUntil !== null && row.claimedUntil > new Date() ? null : (row.finishedAt?.toISOString() ?? null),
            result: row.result as Omit<UpkeepRun, "project">,
          },
  };
}

/** What ARBITER_UPKEEP_SECONDS asks for: seconds between a project's runs, 0 = off. */
export function upkeepSecondsFrom(env: Record<string, string | undefined>): number {
  const raw = env.ARBITER_UPKEEP_SECONDS?.trim();
  if (raw === undefined || raw === "") return DEFAULT_UPKEEP_SECONDS;
  const seconds = Number(raw);
  if (!Number.isFinite(seconds) || seconds < 0) {
    throw new Error(`ARBITER_UPKEEP_SECONDS must be a number of seconds (0 = off), not "${raw}"`);
  }
  return seconds;
}

/**
 * Runs {@link runProjectUpkeep} in the background. It looks four times per interval, so a
 * project is served within a quarter interval of becoming due. Returns a stop function that
 * waits for a pass in progress.
 */
export function startProjectUpkeep(options: { db: Db; intervalSeconds: number; log?: (message: string) => void }): () => Promise<void> {
  const log = options.log ?? ((m: string) => console.log(`[upkeep] ${m}`));
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> = Promise.resolve();
  const tickMs = Math.max(1000, (options.intervalSeconds * 1000) / 4);
  const tick = () => {
    running = runProjectUpkeep(options.db, { intervalSeconds: options.intervalSeconds, log })
      .then((runs) => {
        // Re-ranking is routine (the dashboard shows it); new work for annotators and failures are worth a line.
        for (const r of runs) if (r.error || r.extended?.tasks) log(describeRun(r));
      })
      .catch((error: Error) => log(`pass failed: ${error.message}`))
      .finally(() => {
        if (!stopped) timer = setTimeout(tick, tickMs).unref();
      });
  };
  timer = setTimeout(tick, tickMs).unref();
  return async () => {
    stopped = true;
    if (timer) clearTimeout(timer);
    await running;
  };
}

/** One line for the log: what a run changed. */
function describeRun(run: UpkeepRun): string {
  const parts: string[] = [];
  if (run.ranks) parts.push(`${run.ranks.changed} of ${run.ranks.tasks} open tasks re-ranked from ${run.ranks.votes} votes`);
  if (run.extended) {
    const n = run.extended.tasks;
    parts.push(`${n} uncertain task${n === 1 ? "" : "s"} asked for another judgment (${run.extended.uncertain} below the threshold)`);
  }
  if (run.error) parts.push(`failed: ${run.error}`);
  return `${run.project}: ${parts.join("; ")} (${run.ms} ms)`;
}
