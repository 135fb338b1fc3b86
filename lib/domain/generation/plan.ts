/**
 * Pure rules of generation jobs: the seed of a sample, the tasks an item gets once its
 * samples are in, retry back-off, and the progress figures (rate, ETA).
 */
import { planItemTasks, type ItemPlanRules, GOLD_TASK_OVERLAP } from "@/lib/domain/import-plan";
import { hash32 } from "@/lib/domain/seeded-random";
import type { Gold } from "@/lib/validation/import";

/**
 * The seed sent for sample `sampleIndex` of an item: the endpoint's (or job's) seed plus
 * the index when one is set, otherwise derived from the item's external id and the index.
 * The same sample always gets the same seed, so a retry asks the same question.
 */
export function sampleSeed(externalId: string, sampleIndex: number, baseSeed?: number): number {
  if (baseSeed !== undefined) return (baseSeed + sampleIndex) % 2 ** 31;
  return hash32(`${externalId}\u0000${sampleIndex}`) & 0x7fffffff;
}

/** A candidate as task planning sees it (canonical order = position). */
export type PlanCandidate = { id: number; model: string; content: string };

/** A task to insert. */
export type PlannedTask = { kind: "pairwise" | "ranking"; candidateIds: number[]; overlap: number; gold: Gold | null };

/**
 * The tasks an item gets after generation, planned exactly as an import plans them (the
 * same function, on the item's candidates in canonical order), minus those it already
 * has (same candidates). Candidates whose text repeats an earlier one are left out: two
 * samples can coincide, and a pair of identical replies is no comparison.
 */
export function planGeneratedTasks(
  candidates: readonly PlanCandidate[],
  existing: readonly (readonly number[])[],
  gold: Gold | null,
  rules: ItemPlanRules,
  overlap: number,
): PlannedTask[] {
  const seen = new Set<string>();
  const distinct = candidates.filter((c) => {
    const key = c.content.trim();
    if (key === "" || seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  if (distinct.length < 2) return [];
  // Gold answers name candidate positions of the imported list: they hold only if the list is unchanged.
  const goldHolds = gold !== null && distinct.length === candidates.length;
  const plan = planItemTasks(
    {
      candidates: distinct.map((c) => ({ model: c.model, content: c.content, version: undefined, metadata: undefined })),
      gold: goldHolds ? gold : undefined,
    },
    rules,
  );
  const have = new Set(existing.map((ids) => [...ids].join(",")));
  const out: PlannedTask[] = [];
  for (const t of plan.tasks) {
    const ids = t.candidates.map((i) => distinct[i]!.id);
    if (have.has(ids.join(","))) continue;
    out.push({ kind: t.kind, candidateIds: ids, overlap: t.gold ? GOLD_TASK_OVERLAP : overlap, gold: t.gold });
  }
  return out;
}

/** Attempts per sample before it is recorded as failed (each may itself include the client's quick retries). */
export const MAX_ATTEMPTS = 4;

/**
 * Delay before attempt `attempt + 1` (attempt ≥ 1): the endpoint's Retry-After when it
 * gave one (at most an hour), otherwise 2 s, 8 s, 32 s … (at most 5 minutes) with ±20 %
 * jitter from `random` so that many failed samples do not return at the same instant.
 */
export function retryDelayMs(attempt: number, retryAfterMs: number | undefined, random: () => number): number {
  if (retryAfterMs !== undefined) return Math.min(Math.max(retryAfterMs, 0), 3_600_000);
  const base = Math.min(2_000 * 4 ** (attempt - 1), 300_000);
  return Math.round(base * (0.8 + 0.4 * random()));
}

/** Progress of a job as shown everywhere: counts, share, rate and ETA. */
export interface GenerationProgress {
  total: number;
  done: number;
  failed: number;
  cancelled: number;
  pending: number;
  /** done + failed + cancelled, over total (1 when total is 0). */
  fraction: number;
  /** Samples finished per second over the recent window (null before there is a rate). */
  ratePerSecond: number | null;
  /** Seconds to go at the recent rate (null when unknown). */
  etaSeconds: number | null;
}

/** Progress from unit counts and the samples finished in the last `windowSeconds`. */
export function progressOf(
  counts: { total: number; done: number; failed: number; cancelled: number; pending: number },
  recent: { finished: number; windowSeconds: number },
): GenerationProgress {
  const settled = counts.done + counts.failed + counts.cancelled;
  const rate = recent.windowSeconds > 0 && recent.finished > 0 ? recent.finished / recent.windowSeconds : null;
  return {
    ...counts,
    fraction: counts.total === 0 ? 1 : Math.min(1, settled / counts.total),
    ratePerSecond: rate === null ? null : Math.round(rate * 100) / 100,
    etaSeconds: rate === null || counts.pending === 0 ? (counts.pending === 0 ? 0 : null) : Math.ceil(counts.pending / rate),
  };
}
