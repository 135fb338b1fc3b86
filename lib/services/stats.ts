/**
 * The statistics dashboard's one verb: every figure of a project (agreement with
 * bootstrap intervals, per-dimension agreement, annotator quality and outlier flags, the
 * Bradley–Terry leaderboard and win-rate matrix, progress and throughput), computed from
 * SQL aggregates (db/queries/stats.ts) by the pure library (lib/domain/stats), and cached
 * per process until the project's judgments change. Definitions: docs/statistics.md,
 * "Dashboard".
 */
import { exportSnapshot, useSnapshot } from "@/db/queries/exports";
import {
  emptyAnnotatorAggregate,
  ratingColumnsOf,
  selectAnnotatorFamily,
  selectDimensionPatterns,
  selectFilterOptions,
  selectMaxCandidates,
  selectProgress,
  selectStatsVersion,
  selectTaskAggregate,
  tuneStatsTransaction,
  type AgreementAggregate,
  type AnnotatorAggregate,
  type DimensionPatterns,
  type FilterOptions,
  type Progress,
  type StatsFilter,
  type Throughput,
} from "@/db/queries/stats";
import {
  countJudgmentsBetween,
  decodeStatsTotals,
  foldStatsSummary,
  isFoldConflict,
  narrowsTasks,
  selectFilteredTotals,
  selectStatsTotals,
  selectUserNames,
  sortTexts,
  type FoldResult,
} from "@/db/queries/stats-summary";
import type { Db } from "@/db/client";
import { can } from "@/lib/auth/permissions";
import { scaleValues, type ScalePoints } from "@/lib/domain/preference";
import { percentAgreementFromCounts } from "@/lib/domain/stats/agreement";
import {
  bradleyTerryFromItems,
  type AggregatedLeaderboard,
  filterPatterns,
  itemComparisons,
  majorityCredit,
  outlierFlags,
  patternBootstrap,
  sortCountPatterns,
  sortItemPatterns,
  totalWeight,
  weightedCounts,
  weightedDirections,
  type OutlierFlag,
  type WeightedCounts,
} from "@/lib/domain/stats/aggregated";
import { wilsonInterval } from "@/lib/domain/stats/intervals";
import { fleissKappaFromCounts, mostCommonJudgmentCount } from "@/lib/domain/stats/kappa";
import { krippendorffAlphaFromCounts } from "@/lib/domain/stats/krippendorff";
import { ci, exact, proportion, type Ci, type ProportionJson } from "@/lib/domain/stats/report";
import { forbiddenError, notFoundError } from "@/lib/errors";
import { parseInput } from "@/lib/validation/parse";
import { StatsInput } from "@/lib/validation/stats";
import type { ServiceContext } from "./context";
import { findProjectFor } from "./project-access";

/** Bootstrap settings of every interval on the dashboard (the CLI's defaults). */
export const STATS_BOOTSTRAP = { rounds: 200, seed: 1, level: 0.95 } as const;

/** A coefficient with its 95% bootstrap interval and what it rests on. */
export type Figure = { value: number | null; ci: Ci; n: number; tasks: number };

export type AnnotatorStats = {
  id: number | null;
  name: string;
  email: string;
  judgments: number;
  today: number;
  majorityAgreement: number | null;
  majorityJudgments: number;
  goldAccuracy: ProportionJson | null;
  tieRate: number | null;
  ties: number;
  leftShare: ProportionJson | null;
  longerShare: ProportionJson | null;
  medianSeconds: number | null;
  scaleUse: { strength: number; count: number }[];
  flags: OutlierFlag[];
};

export type LeaderboardStats = {
  rows: {
    model: string;
    rating: number | null;
    ciLow: number | null;
    ciHigh: number | null;
    rank: number | null;
    excluded: string | null;
    wins: number;
    losses: number;
    ties: number;
  }[];
  /** Row / column order of the matrices (= rows' order). */
  models: string[];
  /** winRate[i][j]: (wins of i over j + ties / 2) / comparisons of i and j; null on the diagonal or when they never met. */
  winRate: (number | null)[][];
  comparisons: number[][];
  totalComparisons: number;
  items: number;
  converged: boolean;
  stronglyConnected: boolean;
  degenerateRounds: number;
};

/** A fitted leaderboard as the dashboard and the API show it (the live leaderboard too). */
export function leaderboardStatsOf(bt: AggregatedLeaderboard): LeaderboardStats {
  return {
    rows: bt.ratings.map((r) => ({
      model: r.model,
      rating: exact(r.rating),
      ciLow: exact(r.ciLow),
      ciHigh: exact(r.ciHigh),
      rank: r.rank,
      excluded: r.excluded,
      wins: r.wins,
      losses: r.losses,
      ties: r.ties,
    })),
    models: bt.models,
    winRate: bt.winRate.map((row) => row.map((v) => exact(v))),
    comparisons: bt.comparisons,
    totalComparisons: bt.totalComparisons,
    items: bt.items,
    converged: bt.converged,
    stronglyConnected: bt.stronglyConnected,
    degenerateRounds: bt.degenerateRounds,
  };
}

/** Everything the dashboard shows (and `GET /api/projects/{slug}/stats` returns). */
export type ProjectStats = {
  project: { slug: string; name: string; kind: string; mode: string; scalePoints: number; dimensions: string[]; goldMinAccuracy: number };
  filters: {
    from: string | null;
    to: string | null;
    character: string | null;
    model: string | null;
    annotator: number | null;
    dimension: string | null;
  };
  generatedAt: string;
  /** True when served from the cache (the judgments did not change since). */
  cached: boolean;
  /** Milliseconds the cold computation took. */
  computeMs: number;
  /** Where the figures came from: the folded summary, or the judgments (date filters, the reference). */
  source: "summary" | "judgments";
  bootstrap: typeof STATS_BOOTSTRAP;
  progress: Progress;
  throughput: Throughput;
  /** Non-gold pairwise tasks with a counted judgment, and those judgments. */
  counted: { tasks: number; judgments: number; pairableTasks: number };
  agreement: {
    percentWithTies: Figure;
    percentWithoutTies: Figure;
    alphaNominal: Figure;
    alphaOrdinal: Figure;
    alphaInterval: Figure;
    /** n = raters per task (the most common judgment count); tasks = tasks with that count. */
    fleiss: Figure;
  };
  dimensions: { dimension: string; ordinal: number | null; interval: number | null; units: number; values: number }[];
  annotators: AnnotatorStats[];
  overall: AnnotatorStats;
  leaderboard: LeaderboardStats | null;
  options: FilterOptions;
};

// ---------------------------------------------------------------------------
// Cache: per process, least recently used first out. The key is the project and the
// filters (and the UTC day, since "today" and open date ranges move with it); an entry
// is served only while the project's cheap version (selectStatsVersion) is unchanged.

const CACHE_SIZE = 64;
type Entry = { version: string; stats: ProjectStats };
const globalCache = globalThis as unknown as { __arbiterStatsCache?: Map<string, Entry> };
const cache = (globalCache.__arbiterStatsCache ??= new Map<string, Entry>());

/** Empties the dashboard cache (tests; a deploy gets a new process anyway). */
export function clearStatsCache(): void {
  cache.clear();
}

const dayStart = (s: string) => new Date(`${s}T00:00:00Z`);
const nextDay = (s: string) => new Date(dayStart(s).getTime() + 86_400_000);

/**
 * Every dashboard figure of a project under the given filters (see {@link ProjectStats}).
 * Staff only ("stats.read"). Served from the per-process cache while the project's
 * judgments are unchanged; otherwise computed from SQL aggregates in parallel.
 */
export async function getProjectStats(
  ctx: ServiceContext,
  raw: unknown,
  now: Date = new Date(),
  source: StatsSource = "auto",
): Promise<ProjectStats> {
  if (!can(ctx.actor.role, "stats.read")) throw forbiddenError();
  const input = parseInput(StatsInput, raw);
  const project = await findProjectFor(ctx, input.projectSlug);
  if (!project) throw notFoundError(`The project "${input.projectSlug}"`);

  const today = now.toISOString().slice(0, 10);
  const key = JSON.stringify([
    project.id,
    input.from,
    input.to,
    input.character,
    input.model,
    input.annotator,
    input.dimension,
    today,
    source,
  ]);
  const version = await selectStatsVersion(ctx.db, project.id);
  const hit = cache.get(key);
  if (hit && hit.version === version) {
    cache.delete(key);
    cache.set(key, hit);
    return { ...hit.stats, cached: true };
  }

  const started = performance.now();
  const filter: StatsFilter = {
    projectId: project.id,
    from: input.from ? dayStart(input.from) : undefined,
    to: input.to ? nextDay(input.to) : undefined,
    character: input.character,
    model: input.model,
    annotatorId: input.annotator,
  };
  const scale = project.scalePoints as ScalePoints;
  const categories = scaleValues(scale);
  const dimensions = input.dimension ? [input.dimension] : project.settings.dimensions;
  const hoursUntil = filter.to && filter.to < now ? filter.to : now;
  const read: StatsReadInput = { filter, categories, dimensions, todaySince: dayStart(today), hoursUntil };
  // The summary holds every figure of the whole project and of task-level filters (sums
  // of the kept tasks' facts); date ranges cut through tasks and read the judgments.
  const fromSummary = source === "auto" && !filter.from && !filter.to;
  const summary = fromSummary ? await readFromSummary(ctx.db, read) : null;
  const { agreementAgg, annotatorAggs, throughput, dimensionPatterns, progress, options } =
    summary ??
    (await readFromJudgments(
      ctx.db,
      read,
      project.mode === "pairwise" || dimensions.length === 0 ? 2 : await selectMaxCandidates(ctx.db, project.id),
    ));
  // Patterns in a canonical order: the bootstrap's random stream follows the pattern
  // order, so sorting makes the intervals independent of the SQL plan's hash order.
  sortCountPatterns(agreementAgg.patterns);
  for (const d of dimensionPatterns) sortCountPatterns(d.patterns);
  const itemPatterns = sortItemPatterns(agreementAgg.items);

  // Agreement over non-gold pairwise tasks with ≥ 2 judgments.
  const byTask = weightedCounts(categories, agreementAgg.patterns);
  const dirs = weightedDirections(byTask);
  const boot = (data: WeightedCounts, statistic: (w: Float64Array) => number | null) =>
    ci(patternBootstrap(data.weights, statistic, STATS_BOOTSTRAP));
  const pa = percentAgreementFromCounts(dirs, dirs.weights);
  const pairable = totalWeight(dirs);
  const alpha = (data: WeightedCounts, level: "nominal" | "ordinal" | "interval"): Figure => {
    const a = krippendorffAlphaFromCounts(data, level, data.weights);
    return {
      value: exact(a.alpha),
      ci: boot(data, (w) => krippendorffAlphaFromCounts(data, level, w).alpha),
      n: exact(a.values)!,
      tasks: a.units,
    };
  };
  const fleiss = fleissFigure(dirs, boot);

  // Per annotator: behaviour aggregates joined with leave-one-out majority credit.
  // Credits are 0, 1, 1/2 or 1/3: summed in sixths (integers), so the sum is exact and
  // does not depend on the order the rows arrive in.
  const majority = new Map<number, { sixths: number; n: number }>();
  for (const row of agreementAgg.majority) {
    const credit = majorityCredit([row.a, row.t, row.b], row.own as -1 | 0 | 1);
    if (credit === null) continue;
    const m = majority.get(row.annotatorId) ?? { sixths: 0, n: 0 };
    m.sixths += row.n * Math.round(credit * 6);
    m.n += row.n;
    majority.set(row.annotatorId, m);
  }
  const pooled = annotatorAggs.find((a) => a.annotatorId === null);
  const projectMedian = pooled?.medianSeconds ?? null;
  const goldMinAccuracy = project.settings.goldMinAccuracy;
  const rowOf = (a: AnnotatorAggregate, m: { sixths: number; n: number } | undefined): AnnotatorStats => {
    const goldAccuracy = proportion(wilsonInterval(a.goldCorrect, a.goldN));
    const leftShare = proportion(wilsonInterval(a.left, a.leftN));
    const tieRate = a.tieN > 0 ? a.ties / a.tieN : null;
    const medianSeconds = exact(a.medianSeconds);
    return {
      id: a.annotatorId,
      name: a.name ?? "",
      email: a.email ?? "",
      judgments: a.judgments,
      today: a.today,
      majorityAgreement: m && m.n > 0 ? exact(m.sixths / (6 * m.n)) : null,
      majorityJudgments: m?.n ?? 0,
      goldAccuracy,
      tieRate: exact(tieRate),
      ties: a.ties,
      leftShare,
      longerShare: proportion(wilsonInterval(a.longer, a.longerN)),
      medianSeconds,
      scaleUse: Object.entries(a.scaleUse)
        .map(([strength, count]) => ({ strength: Number(strength), count }))
        .sort((x, y) => x.strength - y.strength),
      flags:
        a.annotatorId === null
          ? []
          : outlierFlags(
              { judgments: a.judgments, medianSeconds: a.medianSeconds, leftShare, tieRate, tieN: a.tieN, goldAccuracy },
              { medianSeconds: projectMedian, goldMinAccuracy },
            ),
    };
  };
  const annotators = annotatorAggs.filter((a) => a.annotatorId !== null).map((a) => rowOf(a, majority.get(a.annotatorId!)));
  const allMajority = [...majority.values()].reduce((s, m) => ({ sixths: s.sixths + m.sixths, n: s.n + m.n }), { sixths: 0, n: 0 });
  const overall = rowOf(pooled ?? emptyAnnotatorAggregate(null), allMajority);

  // Leaderboard over non-gold items.
  const modelIndex = new Map<string, number>();
  const items = itemPatterns.map((p) => itemComparisons(p.n, p.entries, modelIndex));
  let leaderboard: LeaderboardStats | null = null;
  if (items.length > 0 && modelIndex.size > 0) {
    const names = [...modelIndex.keys()];
    leaderboard = leaderboardStatsOf(bradleyTerryFromItems(items, names, STATS_BOOTSTRAP));
  }

  const stats: ProjectStats = {
    project: {
      slug: project.slug,
      name: project.name,
      kind: project.kind,
      mode: project.mode,
      scalePoints: project.scalePoints,
      dimensions: project.settings.dimensions,
      goldMinAccuracy,
    },
    filters: {
      from: input.from ?? null,
      to: input.to ?? null,
      character: input.character ?? null,
      model: input.model ?? null,
      annotator: input.annotator ?? null,
      dimension: input.dimension ?? null,
    },
    generatedAt: now.toISOString(),
    cached: false,
    computeMs: Math.round(performance.now() - started),
    source: summary ? "summary" : "judgments",
    bootstrap: STATS_BOOTSTRAP,
    progress,
    throughput,
    counted: { tasks: agreementAgg.tasks, judgments: agreementAgg.judgments, pairableTasks: pairable },
    agreement: {
      percentWithTies: {
        value: exact(pa.withTies),
        ci: boot(dirs, (w) => percentAgreementFromCounts(dirs, w).withTies),
        n: pa.pairsWithTies,
        tasks: pa.tasks,
      },
      percentWithoutTies: {
        value: exact(pa.withoutTies),
        ci: boot(dirs, (w) => percentAgreementFromCounts(dirs, w).withoutTies),
        n: pa.pairsWithoutTies,
        tasks: pa.tasks,
      },
      alphaNominal: alpha(dirs, "nominal"),
      alphaOrdinal: alpha(byTask, "ordinal"),
      alphaInterval: alpha(byTask, "interval"),
      fleiss,
    },
    dimensions: dimensionPatterns.map(({ dimension, patterns }) => {
      const data = weightedCounts([1, 2, 3, 4, 5], patterns);
      const ordinal = krippendorffAlphaFromCounts(data, "ordinal", data.weights);
      const interval = krippendorffAlphaFromCounts(data, "interval", data.weights);
      return {
        dimension,
        ordinal: exact(ordinal.alpha),
        interval: exact(interval.alpha),
        units: ordinal.units,
        values: exact(ordinal.values)!,
      };
    }),
    annotators,
    overall,
    leaderboard,
    options,
  };
  cache.set(key, { version, stats });
  while (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value!);
  return stats;
}

/**
 * Where the figures come from: "auto" reads the summary when no filter narrows the
 * judgments (and the judgments otherwise); "judgments" always aggregates the judgments
 * (the reference the tests compare the summary with).
 */
export type StatsSource = "auto" | "judgments";

type StatsReadInput = {
  filter: StatsFilter;
  categories: number[];
  dimensions: readonly string[];
  todaySince: Date;
  hoursUntil: Date;
};

type StatsRead = {
  agreementAgg: AgreementAggregate;
  annotatorAggs: AnnotatorAggregate[];
  throughput: Throughput;
  dimensionPatterns: DimensionPatterns[];
  progress: Progress;
  options: FilterOptions;
};

const readOnly = { isolationLevel: "repeatable read", accessMode: "read only" } as const;

/**
 * The reference: three statement families (per task, per judgment, rating dimensions),
 * each reading only the columns it needs from the judgments, run side by side on three
 * connections that share one REPEATABLE READ snapshot (pg_export_snapshot), so they see
 * the same judgments; progress and the filter menus follow on the lighter connections.
 */
async function readFromJudgments(db: Db, r: StatsReadInput, candidateCount: number): Promise<StatsRead> {
  const { filter, categories, dimensions } = r;
  const ratingColumns = ratingColumnsOf(dimensions, candidateCount);
  return db.transaction(async (tx) => {
    await tuneStatsTransaction(tx);
    const snapshot = await exportSnapshot(tx);
    const onSnapshot = <T>(run: (db: typeof tx) => Promise<T>) =>
      db.transaction(async (other) => {
        await useSnapshot(other, snapshot);
        await tuneStatsTransaction(other);
        return run(other);
      }, readOnly);
    const [agreementAgg, annotatorFamily, [dimensionPatterns, progress, options]] = await Promise.all([
      selectTaskAggregate(tx, filter, categories),
      onSnapshot((db) => selectAnnotatorFamily(db, filter, categories, r.todaySince, r.hoursUntil)),
      onSnapshot(
        async (db) =>
          [
            await selectDimensionPatterns(db, filter, ratingColumns),
            await selectProgress(db, filter),
            await selectFilterOptions(db, filter.projectId),
          ] as const,
      ),
    ]);
    return {
      agreementAgg,
      annotatorAggs: annotatorFamily.annotators,
      throughput: annotatorFamily.throughput,
      dimensionPatterns,
      progress,
      options,
    };
  }, readOnly);
}

/**
 * The summary (db/queries/stats-summary.ts): in one REPEATABLE READ transaction, fold the
 * tasks changed since the last fold and read the totals (under a task-level filter, the
 * sums of the kept tasks' and items' facts; null when those would not match the
 * reference, see selectFilteredTotals), while progress, the filter menus,
 * the edge hours of the throughput window and the annotators' names are read on another
 * connection from the same snapshot. A fold that lost a race with another one (its
 * snapshot predates that one's commit) is retried.
 */
async function readFromSummary(db: Db, r: StatsReadInput): Promise<StatsRead | null> {
  const { filter } = r;
  const projectId = filter.projectId;
  const since = new Date(r.hoursUntil.getTime() - 48 * 3600_000);
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction(
        async (tx) => {
          await tuneStatsTransaction(tx);
          const snapshot = await exportSnapshot(tx);
          const side = db.transaction(async (other) => {
            await useSnapshot(other, snapshot);
            await tuneStatsTransaction(other);
            const progress = await selectProgress(other, filter);
            const options = await selectFilterOptions(other, projectId);
            const edges = await hourEdges(other, filter, since, r.hoursUntil);
            return { progress, options, edges };
          }, readOnly);
          // The side transaction must not be left running when the fold fails.
          const sideSettled = side.then(
            () => undefined,
            () => undefined,
          );
          try {
            await foldStatsSummary(tx, projectId);
            const totals = narrowsTasks(filter) ? await selectFilteredTotals(tx, filter) : await selectStatsTotals(tx, projectId);
            if (totals === null) {
              await sideSettled;
              return null;
            }
            const decoded = decodeStatsTotals(totals, r.categories, r.todaySince.toISOString().slice(0, 10));
            const { progress, options, edges } = await side;
            const names = await selectUserNames(
              tx,
              decoded.annotators.flatMap((a) => (a.annotatorId === null ? [] : [a.annotatorId])),
            );
            for (const a of decoded.annotators) {
              if (a.annotatorId === null) continue;
              const who = names.get(a.annotatorId);
              a.name = who?.name ?? null;
              a.email = who?.email ?? null;
            }
            const dimensionNames = await sortTexts(
              tx,
              r.dimensions.filter((d) => decoded.dimensions.has(d)),
            );
            return {
              agreementAgg: decoded.agreement,
              annotatorAggs: decoded.annotators,
              throughput: { perDay: decoded.perDay, perHour: hoursOf(decoded.perHour, edges, since, r.hoursUntil) },
              dimensionPatterns: dimensionNames.map((dimension) => ({ dimension, patterns: decoded.dimensions.get(dimension)! })),
              progress,
              options,
            };
          } catch (error) {
            await sideSettled;
            throw error;
          }
        },
        { isolationLevel: "repeatable read" },
      );
    } catch (error) {
      if (attempt < 5 && isFoldConflict(error)) continue;
      throw error;
    }
  }
}

/**
 * Folds a project's statistics summary now (rebuilding it when needed), as the next cold
 * dashboard call would: for `npm run stats:fold` after a deploy or a bulk load, so that no
 * dashboard request pays for a rebuild. No actor: an operator's script.
 */
export async function foldProjectStatsSummary(db: Db, projectId: number): Promise<FoldResult> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction(
        async (tx) => {
          await tuneStatsTransaction(tx);
          return foldStatsSummary(tx, projectId);
        },
        { isolationLevel: "repeatable read" },
      );
    } catch (error) {
      if (attempt < 5 && isFoldConflict(error)) continue;
      throw error;
    }
  }
}

const HOUR = 3600_000;
const hourKey = (t: number) => `${new Date(t).toISOString().slice(0, 13)}:00Z`;

/**
 * Counts of the partial hours at the ends of the window [since, until) straight from the
 * judgments (an index range of under an hour each); whole hours come from the summary.
 */
async function hourEdges(db: Db, filter: StatsFilter, since: Date, until: Date): Promise<Map<string, number>> {
  const edges = new Map<string, number>();
  const first = Math.floor(since.getTime() / HOUR) * HOUR;
  if (first < since.getTime())
    edges.set(hourKey(first), await countJudgmentsBetween(db, filter, since, new Date(Math.min(first + HOUR, until.getTime()))));
  const last = Math.floor(until.getTime() / HOUR) * HOUR;
  if (last < until.getTime() && last >= since.getTime())
    edges.set(hourKey(last), await countJudgmentsBetween(db, filter, new Date(last), until));
  return edges;
}

/** Judgments per hour over [since, until): whole hours from the summary, partial ones from `edges`. */
function hoursOf(perHour: Map<string, number>, edges: Map<string, number>, since: Date, until: Date): Throughput["perHour"] {
  const out: Throughput["perHour"] = [];
  const first = Math.floor(since.getTime() / HOUR) * HOUR;
  for (let h = first; h < until.getTime(); h += HOUR) {
    const key = hourKey(h);
    const n = edges.has(key) ? edges.get(key)! : h >= since.getTime() && h + HOUR <= until.getTime() ? (perHour.get(key) ?? 0) : 0;
    if (n > 0) out.push({ hour: key, judgments: n });
  }
  return out;
}

/**
 * Fleiss' kappa on direction over the tasks sharing the most common judgment count (on a
 * tie between counts, the larger), as `fleissKappaOnDirection`.
 */
function fleissFigure(dirs: WeightedCounts, boot: (data: WeightedCounts, s: (w: Float64Array) => number | null) => Ci): Figure {
  const freq = new Map<number, number>();
  for (let u = 0; u < dirs.units; u++) {
    const m = dirs.counts[u * 3]! + dirs.counts[u * 3 + 1]! + dirs.counts[u * 3 + 2]!;
    if (m >= 2) freq.set(m, (freq.get(m) ?? 0) + dirs.weights[u]!);
  }
  const { size: best, tasks: bestCount } = mostCommonJudgmentCount(freq);
  if (bestCount === 0) return { value: null, ci: null, n: 0, tasks: 0 };
  const rows = filterPatterns(dirs, (m) => m === best);
  return {
    value: exact(fleissKappaFromCounts(rows, rows.weights).kappa),
    ci: boot(rows, (w) => fleissKappaFromCounts(rows, w).kappa),
    n: best,
    tasks: bestCount,
  };
}
