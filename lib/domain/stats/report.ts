/**
 * The statistics report of the command line (`npm run stats`): every agreement,
 * annotator-quality and leaderboard figure of a set of raw-judgment lines, as one
 * JSON-ready object with snake_case keys. Pure: the caller parses and validates the lines
 * (`lib/validation/raw-judgment.ts`); this module only computes, with the functions of
 * this library. Definitions and conventions: docs/statistics.md, "Command line".
 */

import { scaleValues, type ScalePoints } from "../preference";
import { annotatorQuality, type AnnotatorQuality, type GoldAnswer, type QualityJudgment } from "./annotator-quality";
import { percentAgreementFromCounts } from "./agreement";
import { bootstrapInterval } from "./bootstrap";
import { bradleyTerry, type Comparison } from "./bradley-terry";
import { checkCounts, collapseToDirections, countByUnit, keepUnits, sortedDistinct } from "./counts";
import type { ProportionInterval } from "./intervals";
import { fleissKappaFromCounts, fleissKappaOnDirection, pairwiseCohenKappa } from "./kappa";
import { kendallW } from "./kendall";
import { dimensionAlpha, krippendorffAlphaFromCounts, type DimensionRating } from "./krippendorff";
import type { CategoryCounts } from "./types";

/**
 * The fields of a raw-judgment line the report reads (a validated `RawJudgment` from
 * `lib/validation/raw-judgment.ts` fits this shape; other fields are ignored).
 */
export interface StatsJudgmentInput {
  readonly task_id: string | number;
  readonly item_id?: string | number | null;
  readonly annotator: string;
  readonly scale_points: ScalePoints;
  readonly models?: readonly (string | null)[] | null;
  /** Canonical strength (pairwise). */
  readonly strength?: number | null;
  /** `ranking[i]` = rank of canonical candidate i, 1 = best (K-wise). */
  readonly ranking?: readonly number[] | null;
  readonly both_unacceptable?: boolean | null;
  readonly display_order?: readonly number[] | null;
  readonly ratings?:
    | Readonly<Record<string, Readonly<Record<string, number | null>>>>
    | ReadonlyArray<Readonly<Record<string, number | null>> | null>
    | null;
  readonly seconds?: number | null;
  readonly gold?: { readonly strength?: number; readonly accept?: readonly number[] } | null;
  readonly state?: string | null;
  readonly created_at?: string | null;
  readonly candidate_lengths?: readonly number[] | null;
}

/** Options of {@link computeStatsReport}. */
export interface StatsReportOptions {
  /** Seed of every bootstrap (default 1). */
  readonly seed?: number;
  /** Bootstrap resamples (default 200; 0 = no intervals, every `*_ci` null). */
  readonly bootstrapRounds?: number;
}

/** A 95% bootstrap percentile interval `[low, high]`, or null (no rounds, or never defined). */
export type Ci = [number, number] | null;

/** A proportion with its 95% Wilson interval. */
export interface ProportionJson {
  readonly value: number;
  readonly low: number;
  readonly high: number;
  /** Successes (fractional for split credit) and trials behind the value. */
  readonly successes: number;
  readonly n: number;
}

/** One row of `per_annotator` (and `all_annotators`). */
export interface AnnotatorRow {
  readonly annotator: string;
  /** Counted pairwise judgments (the quality figures are over these). */
  readonly judgments: number;
  /** Counted K-wise rankings (only in Kendall's W and the leaderboard). */
  readonly rankings: number;
  readonly majority_agreement: number | null;
  /** Judgments whose task had at least one other judgment. */
  readonly majority_judgments: number;
  readonly gold_accuracy: ProportionJson | null;
  readonly tie_rate: number | null;
  readonly ties: number;
  readonly left_share: ProportionJson | null;
  readonly longer_share: ProportionJson | null;
  readonly median_seconds: number | null;
  readonly scale_use: { strength: number; count: number }[];
  readonly longest_run: { length: number; answer: number | null };
}

/** One row of `bradley_terry`. */
export interface LeaderboardRow {
  readonly model: string;
  readonly rating: number | null;
  /** Bootstrap bounds; null for an excluded model, or for an infinite bound (see docs). */
  readonly ci_low: number | null;
  readonly ci_high: number | null;
  readonly rank: number | null;
  /** Null when rated; else "never-loses" | "never-wins" | "not-comparable". */
  readonly excluded: string | null;
  readonly wins: number;
  readonly losses: number;
  readonly ties: number;
}

/** The report: the issue's fields first, then details. */
export interface StatsReport {
  /** Distinct tasks with at least one counted judgment. */
  readonly tasks: number;
  /** Counted judgments: valid, one per annotator and task, with a strength or a ranking. */
  readonly judgments: number;
  /** Distinct annotators of the counted judgments. */
  readonly annotators: number;
  readonly percent_agreement: {
    readonly with_ties: number | null;
    readonly without_ties: number | null;
    readonly pairs_with_ties: number;
    readonly pairs_without_ties: number;
    readonly tasks: number;
    readonly with_ties_ci: Ci;
    readonly without_ties_ci: Ci;
  };
  readonly krippendorff_alpha: {
    readonly nominal: number | null;
    readonly ordinal: number | null;
    readonly interval: number | null;
    readonly nominal_ci: Ci;
    readonly ordinal_ci: Ci;
    readonly interval_ci: Ci;
    /** Pairable tasks (≥ 2 judgments) and the values in them. */
    readonly units: number;
    readonly values: number;
    /** Per rating dimension (only when ratings are given), by dimension key. */
    readonly dimensions: Record<string, { ordinal: number | null; interval: number | null; units: number; values: number }>;
  };
  readonly fleiss_kappa: { readonly value: number | null; readonly tasks: number; readonly raters: number; readonly ci: Ci };
  readonly cohen_kappa: {
    a: string;
    b: string;
    n: number;
    kappa: number | null;
    linear_weighted: number | null;
    quadratic_weighted: number | null;
  }[];
  /** Null when no task has K-wise rankings. */
  readonly kendall_w: { value: number | null; tasks: number; chance: number | null; ci: Ci } | null;
  readonly per_annotator: AnnotatorRow[];
  /** Null when no judgment names its candidates' models. */
  readonly bradley_terry: LeaderboardRow[] | null;
  /** The per-annotator figures pooled over everyone (longest run: the longest of anyone). */
  readonly all_annotators: AnnotatorRow;
  readonly bradley_terry_fit: {
    comparisons: number;
    items: number;
    judgments_without_models: number;
    converged: boolean;
    strongly_connected: boolean;
    degenerate_rounds: number;
  } | null;
  /** The scale of the pairwise judgments; null when they mix scales (or there are none). */
  readonly scale_points: number | null;
  readonly pairwise_judgments: number;
  readonly ranking_judgments: number;
  /** Lines given but not counted. */
  readonly skipped: { not_valid: number; both_unacceptable: number; duplicate: number };
  readonly bootstrap: { rounds: number; seed: number; level: number };
  readonly warnings: string[];
}

const LEVEL = 0.95;

/**
 * A figure as machine-readable JSON carries it: the full computed value (−0 folded into 0);
 * null and non-finite stay null. Only displays round (the dashboard's `num`, `pct`).
 */
export function exact(x: number | null | undefined): number | null {
  if (x === null || x === undefined || !Number.isFinite(x)) return null;
  return x === 0 ? 0 : x;
}

/** An interval as the report carries it, or null when either end is missing. */
export function ci(interval: { low: number; high: number } | null, round: (x: number) => number | null = exact): Ci {
  if (interval === null) return null;
  const low = round(interval.low);
  const high = round(interval.high);
  return low === null || high === null ? null : [low, high];
}

/** A proportion with its interval as the report prints it. */
export function proportion(p: ProportionInterval | null): ProportionJson | null {
  if (p === null) return null;
  return { value: exact(p.estimate)!, low: exact(p.low)!, high: exact(p.high)!, successes: exact(p.successes)!, n: p.trials };
}

/** Rows of `data` whose total is at least 2 (the units that give pairs). */
function pairableUnits(data: CategoryCounts, predicate: (total: number) => boolean = (m) => m >= 2): CategoryCounts {
  checkCounts(data);
  return keepUnits(data, predicate).rows;
}

function timeOf(s: string | null | undefined): number | null {
  if (s === null || s === undefined) return null;
  const t = Date.parse(s);
  return Number.isNaN(t) ? null : t;
}

/** Dimension ratings of one judgment, per canonical candidate. */
function ratingEntries(ratings: StatsJudgmentInput["ratings"]): [number, string, number][] {
  if (ratings === null || ratings === undefined) return [];
  const out: [number, string, number][] = [];
  const entries: [number, Readonly<Record<string, number | null>> | null][] = Array.isArray(ratings)
    ? (ratings as ReadonlyArray<Readonly<Record<string, number | null>> | null>).map((r, i) => [i, r])
    : Object.entries(ratings as Record<string, Record<string, number | null>>).map(([c, r]) => [Number(c), r]);
  for (const [candidate, dims] of entries) {
    if (dims === null) continue;
    for (const [dim, value] of Object.entries(dims)) if (value !== null && value !== undefined) out.push([candidate, dim, value]);
  }
  return out;
}

/**
 * Computes the statistics report of raw-judgment lines (see the module notes):
 * - only lines whose `state` is absent or `"valid"` count; "both unacceptable" lines are
 *   counted in `skipped` and give no strength;
 * - one judgment per annotator and task: a later line of the same (task, annotator)
 *   replaces an earlier one (`skipped.duplicate`);
 * - pairwise judgments feed the agreement figures and the per-annotator table; K-wise
 *   rankings feed Kendall's W; both feed the leaderboard and the rating dimensions;
 * - intervals are bootstrap percentile intervals over tasks (agreement) or items (the
 *   leaderboard, `item_id`, else `task_id`), seeded, so the same input and seed give the
 *   same output.
 */
export function computeStatsReport(input: Iterable<StatsJudgmentInput>, options: StatsReportOptions = {}): StatsReport {
  const seed = options.seed ?? 1;
  const rounds = options.bootstrapRounds ?? 200;
  if (!Number.isInteger(rounds) || rounds < 0) throw new RangeError("bootstrapRounds must be a non-negative integer");
  const warnings: string[] = [];
  const boot = (units: number, statistic: (w: Int32Array) => number | null): Ci =>
    rounds === 0 ? null : ci(bootstrapInterval(units, statistic, { rounds, seed, level: LEVEL }));

  // 1. Filter and de-duplicate: the last valid line of a (task, annotator) counts.
  let notValid = 0;
  let bothUnacceptable = 0;
  let duplicate = 0;
  const latest = new Map<string, number>();
  const kept: (StatsJudgmentInput | null)[] = [];
  for (const j of input) {
    if (j.state !== null && j.state !== undefined && j.state !== "valid") {
      notValid++;
      continue;
    }
    const key = `${String(j.task_id)}\u0000${j.annotator}`;
    const previous = latest.get(key);
    if (previous !== undefined) {
      duplicate++;
      kept[previous] = null;
    }
    latest.set(key, kept.length);
    kept.push(j);
  }
  const pairwise: StatsJudgmentInput[] = [];
  const rankings: StatsJudgmentInput[] = [];
  for (const j of kept) {
    if (j === null) continue;
    if (j.both_unacceptable === true) bothUnacceptable++;
    else if (j.strength !== null && j.strength !== undefined) pairwise.push(j);
    else if (j.ranking !== null && j.ranking !== undefined) rankings.push(j);
  }
  const counted = [...pairwise, ...rankings];
  const taskOf = (j: StatsJudgmentInput) => String(j.task_id);

  // 2. Scale of the pairwise judgments.
  const scales = sortedDistinct(pairwise.map((j) => j.scale_points));
  const scale = scales.length === 1 ? (scales[0] as ScalePoints) : null;
  if (scales.length > 1) {
    warnings.push(`pairwise judgments mix the ${scales.join(", ")}-point scales: ordinal / interval alpha and weighted kappa are left out`);
  }
  const categories = sortedDistinct(scales.flatMap((p) => scaleValues(p as ScalePoints)));

  // 3. Agreement on pairwise strength, over tasks with at least two judgments.
  const byTask = pairableUnits(
    categories.length > 0
      ? countByUnit(pairwise, taskOf, (j) => j.strength, categories)
      : { categories: [0], units: 0, counts: new Float64Array(0) },
  );
  const directions = collapseToDirections(byTask);
  const pa = percentAgreementFromCounts(directions);
  const alphaNominal = krippendorffAlphaFromCounts(directions, "nominal");
  const alphaOrdinal = scale !== null ? krippendorffAlphaFromCounts(byTask, "ordinal") : null;
  const alphaInterval = scale !== null ? krippendorffAlphaFromCounts(byTask, "interval") : null;
  const fleiss = fleissKappaOnDirection(directions);
  const fleissRows = pairableUnits(directions, (m) => m === fleiss.raters && m >= 2);

  // 4. Rating dimensions (any judgment kind; one unit per task and candidate).
  const dimensionRatings = new Map<string, DimensionRating[]>();
  for (const j of counted) {
    for (const [candidate, dim, value] of ratingEntries(j.ratings)) {
      let list = dimensionRatings.get(dim);
      if (list === undefined) dimensionRatings.set(dim, (list = []));
      list.push({ task: taskOf(j), candidate, value });
    }
  }
  const dimensions: StatsReport["krippendorff_alpha"]["dimensions"] = {};
  for (const dim of [...dimensionRatings.keys()].sort()) {
    const a = dimensionAlpha(dimensionRatings.get(dim)!);
    dimensions[dim] = {
      ordinal: exact(a.ordinal.alpha),
      interval: exact(a.interval.alpha),
      units: a.ordinal.units,
      values: exact(a.ordinal.values)!,
    };
  }

  // 5. Cohen's kappa per annotator pair.
  const cohen = pairwiseCohenKappa(
    pairwise.map((j) => ({ task: taskOf(j), annotator: j.annotator, strength: j.strength! })),
    scale !== null ? { scalePoints: scale } : {},
  ).map((p) => ({
    a: p.a,
    b: p.b,
    n: p.n,
    kappa: exact(p.kappa),
    linear_weighted: scale !== null ? exact(p.linearWeighted) : null,
    quadratic_weighted: scale !== null ? exact(p.quadraticWeighted) : null,
  }));

  // 6. Kendall's W over tasks with at least two rankings.
  let kendall: StatsReport["kendall_w"] = null;
  if (rankings.length > 0) {
    const groups = new Map<string, number[][]>();
    for (const j of rankings) {
      let list = groups.get(taskOf(j));
      if (list === undefined) groups.set(taskOf(j), (list = []));
      list.push([...j.ranking!]);
    }
    const ws: number[] = [];
    const chances: number[] = [];
    for (const list of groups.values()) {
      const r = kendallW(list);
      if (r === null || r.w === null) continue;
      ws.push(r.w);
      chances.push(1 / r.raters);
    }
    const mean = (values: number[], w?: Int32Array): number | null => {
      let s = 0;
      let n = 0;
      values.forEach((v, i) => {
        const k = w === undefined ? 1 : w[i]!;
        s += k * v;
        n += k;
      });
      return n > 0 ? s / n : null;
    };
    kendall = {
      value: exact(mean(ws)),
      tasks: ws.length,
      chance: exact(mean(chances)),
      ci: boot(ws.length, (w) => mean(ws, w)),
    };
  }

  // 7. Per annotator.
  const allTimed = pairwise.length > 0 && pairwise.every((j) => timeOf(j.created_at) !== null);
  const quality = annotatorQuality(
    pairwise.map((j): QualityJudgment => {
      const g = j.gold;
      const gold: GoldAnswer | null =
        g !== null && g !== undefined && g.strength !== undefined
          ? g.accept !== undefined
            ? { strength: g.strength, accept: g.accept }
            : { strength: g.strength }
          : null;
      const lengths = j.candidate_lengths;
      return {
        task: taskOf(j),
        annotator: j.annotator,
        strength: j.strength!,
        scalePoints: j.scale_points,
        displayOrder: j.display_order ?? null,
        gold,
        candidateLengths: lengths && lengths.length === 2 ? [lengths[0]!, lengths[1]!] : null,
        seconds: j.seconds ?? null,
        order: allTimed ? timeOf(j.created_at) : null,
      };
    }),
  );
  const rankingsBy = new Map<string, number>();
  for (const j of rankings) rankingsBy.set(j.annotator, (rankingsBy.get(j.annotator) ?? 0) + 1);
  const rowOf = (q: AnnotatorQuality, rankingCount: number): AnnotatorRow => ({
    annotator: q.annotator,
    judgments: q.judgments,
    rankings: rankingCount,
    majority_agreement: exact(q.majorityAgreement.value),
    majority_judgments: q.majorityAgreement.judgments,
    gold_accuracy: proportion(q.goldAccuracy),
    tie_rate: exact(q.tieRate.value),
    ties: q.tieRate.ties,
    left_share: proportion(q.leftShare),
    longer_share: proportion(q.longerShare),
    median_seconds: exact(q.medianSeconds),
    scale_use: q.scaleUse.map((s) => ({ strength: s.strength, count: s.count })),
    longest_run: { length: q.longestRun.length, answer: q.longestRun.answer },
  });
  const rows = new Map<string, AnnotatorRow>();
  for (const q of quality.annotators) rows.set(q.annotator, rowOf(q, rankingsBy.get(q.annotator) ?? 0));
  for (const [annotator, count] of rankingsBy) {
    if (!rows.has(annotator)) rows.set(annotator, rowOf(emptyQuality(annotator), count));
  }
  const perAnnotator = [...rows.values()].sort((x, y) => (x.annotator < y.annotator ? -1 : x.annotator > y.annotator ? 1 : 0));

  // 8. Leaderboard.
  const comparisons: Comparison[] = [];
  let withoutModels = 0;
  for (const j of counted) {
    const models = j.models;
    if (!models || models.some((m) => m === null)) {
      withoutModels++;
      continue;
    }
    const item = j.item_id !== null && j.item_id !== undefined ? `i:${String(j.item_id)}` : `t:${taskOf(j)}`;
    if (j.ranking !== null && j.ranking !== undefined) comparisons.push({ item, models: models as string[], ranks: j.ranking });
    else comparisons.push({ item, models: [models[0]!, models[1]!], strength: j.strength! });
  }
  let leaderboard: LeaderboardRow[] | null = null;
  let fit: StatsReport["bradley_terry_fit"] = null;
  if (comparisons.length > 0) {
    const bt = bradleyTerry(comparisons, { seed, bootstrapRounds: rounds, level: LEVEL });
    leaderboard = bt.ratings.map((r) => ({
      model: r.model,
      rating: exact(r.rating),
      ci_low: exact(r.ciLow),
      ci_high: exact(r.ciHigh),
      rank: r.rank,
      excluded: r.excluded,
      wins: r.wins,
      losses: r.losses,
      ties: r.ties,
    }));
    fit = {
      comparisons: bt.totalComparisons,
      items: bt.items,
      judgments_without_models: withoutModels,
      converged: bt.converged,
      strongly_connected: bt.stronglyConnected,
      degenerate_rounds: bt.bootstrap.degenerateRounds,
    };
    const excluded = bt.ratings.filter((r) => r.excluded !== null);
    if (excluded.length > 0) {
      warnings.push(`models without a finite rating: ${excluded.map((r) => `${r.model} (${r.excluded})`).join(", ")}`);
    }
    if (!bt.stronglyConnected) warnings.push("the rated models' win graph is not strongly connected: ratings are not meaningful");
    if (!bt.converged) warnings.push("the Bradley–Terry fit did not converge");
    if (withoutModels > 0) warnings.push(`${withoutModels} judgments without models are left out of the leaderboard`);
  }

  const annotators = new Set(counted.map((j) => j.annotator));
  return {
    tasks: new Set(counted.map(taskOf)).size,
    judgments: counted.length,
    annotators: annotators.size,
    percent_agreement: {
      with_ties: exact(pa.withTies),
      without_ties: exact(pa.withoutTies),
      pairs_with_ties: pa.pairsWithTies,
      pairs_without_ties: pa.pairsWithoutTies,
      tasks: pa.tasks,
      with_ties_ci: boot(directions.units, (w) => percentAgreementFromCounts(directions, w).withTies),
      without_ties_ci: boot(directions.units, (w) => percentAgreementFromCounts(directions, w).withoutTies),
    },
    krippendorff_alpha: {
      nominal: exact(alphaNominal.alpha),
      ordinal: exact(alphaOrdinal?.alpha),
      interval: exact(alphaInterval?.alpha),
      nominal_ci: boot(directions.units, (w) => krippendorffAlphaFromCounts(directions, "nominal", w).alpha),
      ordinal_ci: scale !== null ? boot(byTask.units, (w) => krippendorffAlphaFromCounts(byTask, "ordinal", w).alpha) : null,
      interval_ci: scale !== null ? boot(byTask.units, (w) => krippendorffAlphaFromCounts(byTask, "interval", w).alpha) : null,
      units: alphaNominal.units,
      values: exact(alphaNominal.values)!,
      dimensions,
    },
    fleiss_kappa: {
      value: exact(fleiss.value),
      tasks: fleiss.tasks,
      raters: fleiss.raters,
      ci: fleiss.tasks > 0 ? boot(fleissRows.units, (w) => fleissKappaFromCounts(fleissRows, w).kappa) : null,
    },
    cohen_kappa: cohen,
    kendall_w: kendall,
    per_annotator: perAnnotator,
    bradley_terry: leaderboard,
    all_annotators: rowOf(quality.overall, rankings.length),
    bradley_terry_fit: fit,
    scale_points: scale,
    pairwise_judgments: pairwise.length,
    ranking_judgments: rankings.length,
    skipped: { not_valid: notValid, both_unacceptable: bothUnacceptable, duplicate },
    bootstrap: { rounds, seed, level: LEVEL },
    warnings,
  };
}

function emptyQuality(annotator: string): AnnotatorQuality {
  return {
    annotator,
    judgments: 0,
    majorityAgreement: { value: null, judgments: 0 },
    goldAccuracy: null,
    tieRate: { value: null, ties: 0, judgments: 0 },
    leftShare: null,
    longerShare: null,
    medianSeconds: null,
    scaleUse: [],
    longestRun: { length: 0, answer: null },
  };
}
