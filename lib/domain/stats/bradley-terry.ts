/**
 * Model leaderboard by the Bradley–Terry model, P(i beats j) = p_i / (p_i + p_j), fitted
 * by maximum likelihood with Zermelo's / Hunter's (2004) MM iterations.
 *
 * Conventions:
 * - a tie is half a win to each side; a K-wise ranking is expanded to its K(K−1)/2 pairs
 *   (equal ranks = tie); two candidates of the same model give no comparison;
 * - rating = 1000 + 400·log10(p_i), shifted so that the mean rating of the rated models is
 *   1000 (a 400-point gap = 10:1 odds);
 * - a model that never loses (or never wins) against the models still in the fit has an
 *   infinite ML rating: it is excluded from the fit and reported, repeatedly until none is
 *   left; so is a model left with no comparison;
 * - 95% intervals are bootstrap percentile intervals resampling items (all comparisons of
 *   an item together) with a seeded generator, so the same data and seed give the same
 *   bounds; in a resample where a model never loses (never wins) its rating counts as
 *   +∞ (−∞), so a bound can be infinite;
 * - rank = 1 + number of models whose lower bound is above this model's upper bound.
 */

import { firstScore, rankScore, type Ranks } from "../preference";
import { percentileInterval } from "./intervals";
import { createRng } from "./rng";
import type { TaskKey } from "./types";

/** One pairwise judgment between two models (canonical order: models[0] = A). */
export interface PairwiseComparison {
  /** Bootstrap cluster (e.g. the item or task id); default: the comparison alone. */
  readonly item?: TaskKey | null;
  /** Models of candidates A and B. */
  readonly models: readonly [string, string];
  /** Canonical strength: negative = A better, 0 = tie, positive = B better. */
  readonly strength: number;
}

/** One K-wise ranking: `ranks[i]` is the rank (1 = best) of the candidate from `models[i]`. */
export interface RankingComparison {
  readonly item?: TaskKey | null;
  readonly models: readonly string[];
  readonly ranks: Ranks;
}

/** A comparison for the leaderboard: a pairwise judgment or a K-wise ranking. */
export type Comparison = PairwiseComparison | RankingComparison;

/** Why a model has no rating. */
export type ExclusionReason = "never-loses" | "never-wins" | "not-comparable";

/** Options of {@link bradleyTerry}. */
export interface BradleyTerryOptions {
  /** Bootstrap resamples (default 200; 0 = no intervals, bounds equal the rating). */
  readonly bootstrapRounds?: number;
  /** Seed of the bootstrap generator (default 1). */
  readonly seed?: number;
  /** Interval level (default 0.95). */
  readonly level?: number;
  /** Stop when no log-strength moves more than this in an iteration (default 1e-10). */
  readonly tolerance?: number;
  /** Iteration cap of one fit (default 100000). */
  readonly maxIterations?: number;
}

/** One row of the leaderboard. */
export interface ModelRating {
  readonly model: string;
  /** Rating (mean 1000 over rated models); null when excluded. */
  readonly rating: number | null;
  /** Bootstrap interval; null when excluded. May be ±Infinity (see module notes). */
  readonly ciLow: number | null;
  readonly ciHigh: number | null;
  /** 1 + number of rated models whose lower bound is above this model's upper bound; null when excluded. */
  readonly rank: number | null;
  /** Null when rated, else why not. */
  readonly excluded: ExclusionReason | null;
  /** Pairwise comparisons won, lost and tied (ties counted once, not halved). */
  readonly wins: number;
  readonly losses: number;
  readonly ties: number;
}

/** The leaderboard, the win-rate matrix and fit diagnostics. */
export interface BradleyTerryResult {
  /** Rated models by rating (best first), then excluded ones by name. */
  readonly ratings: ModelRating[];
  /** Model order of the matrices (same as `ratings`). */
  readonly models: string[];
  /**
   * `winRate[i][j]` = (wins of i over j + ties/2) / comparisons of i and j, over all data;
   * null on the diagonal and where the two never met.
   */
  readonly winRate: (number | null)[][];
  /** `comparisons[i][j]` = number of comparisons between models i and j. */
  readonly comparisons: number[][];
  /** Pairwise comparisons used (after expanding rankings). */
  readonly totalComparisons: number;
  /** Bootstrap clusters (items). */
  readonly items: number;
  /** Whether the main fit met the tolerance. */
  readonly converged: boolean;
  readonly iterations: number;
  /**
   * Whether the rated models' win graph is strongly connected (every model can be reached
   * from every other through "beat or tied" links). When false the ML ratings do not
   * exist as finite numbers and the printed ones are not meaningful.
   */
  readonly stronglyConnected: boolean;
  readonly bootstrap: {
    readonly rounds: number;
    readonly seed: number;
    readonly level: number;
    /** Resamples in which some rated model never lost / never won or the graph split. */
    readonly degenerateRounds: number;
  };
}

/** Result of a fit on a wins matrix. */
export interface BradleyTerryFit {
  /** Log-strengths (natural log, mean 0 over the fitted models); null for excluded models. */
  readonly logStrengths: (number | null)[];
  /** Exclusion reason per model, null when fitted. */
  readonly excluded: (ExclusionReason | null)[];
  readonly iterations: number;
  readonly converged: boolean;
  readonly stronglyConnected: boolean;
}

const LOG10E_400 = 400 / Math.LN10;

/**
 * Fits the Bradley–Terry model by MM iterations on a square wins matrix
 * (`wins[i][j]` = number of times i beat j; ties added as ½ to both cells).
 */
export function fitBradleyTerry(
  wins: ReadonlyArray<ReadonlyArray<number>>,
  options: Pick<BradleyTerryOptions, "tolerance" | "maxIterations"> = {},
): BradleyTerryFit {
  const m = wins.length;
  const w = new Float64Array(m * m);
  wins.forEach((row, i) => {
    if (row.length !== m) throw new RangeError("the wins matrix must be square");
    row.forEach((v, j) => {
      if (i !== j) w[i * m + j] = v;
    });
  });
  const active = new Uint8Array(m).fill(1);
  const reasons = exclude(w, m, active);
  const logp = new Float64Array(m);
  const fit = mm(w, m, active, logp, options.tolerance ?? 1e-10, options.maxIterations ?? 100000);
  return {
    logStrengths: Array.from(logp, (v, i) => (active[i] ? v : null)),
    excluded: reasons,
    iterations: fit.iterations,
    converged: fit.converged,
    stronglyConnected: stronglyConnected(w, m, active),
  };
}

/**
 * Bradley–Terry leaderboard from pairwise judgments and K-wise rankings, with bootstrap
 * intervals, ranks, exclusions and the win-rate matrix (see the module notes).
 */
export function bradleyTerry(comparisons: Iterable<Comparison>, options: BradleyTerryOptions = {}): BradleyTerryResult {
  const rounds = options.bootstrapRounds ?? 200;
  const seed = options.seed ?? 1;
  const level = options.level ?? 0.95;
  const tolerance = options.tolerance ?? 1e-10;
  const maxIterations = options.maxIterations ?? 100000;
  if (!Number.isInteger(rounds) || rounds < 0) throw new RangeError(`bootstrapRounds must be a non-negative integer`);

  // Expand to pairwise outcomes: (item, i, j, score of i) with i < j in model index.
  const modelIndex = new Map<string, number>();
  const modelNames: string[] = [];
  const idOf = (name: string): number => {
    let id = modelIndex.get(name);
    if (id === undefined) {
      id = modelNames.length;
      modelIndex.set(name, id);
      modelNames.push(name);
    }
    return id;
  };
  const itemIndex = new Map<TaskKey, number>();
  let itemCount = 0;
  const cItem: number[] = [];
  const cI: number[] = [];
  const cJ: number[] = [];
  const cScore: number[] = [];
  const push = (item: number, a: number, b: number, scoreA: number): void => {
    if (a === b) return;
    cItem.push(item);
    if (a < b) {
      cI.push(a);
      cJ.push(b);
      cScore.push(scoreA);
    } else {
      cI.push(b);
      cJ.push(a);
      cScore.push(1 - scoreA);
    }
  };
  for (const c of comparisons) {
    let item: number;
    if (c.item === undefined || c.item === null) item = itemCount++;
    else {
      const known = itemIndex.get(c.item);
      if (known === undefined) {
        item = itemCount++;
        itemIndex.set(c.item, item);
      } else item = known;
    }
    if ("strength" in c) {
      if (c.models.length !== 2) throw new RangeError("a pairwise comparison needs exactly two models");
      if (!Number.isFinite(c.strength)) throw new RangeError(`strength ${c.strength} is not a finite number`);
      const a = idOf(c.models[0]);
      const b = idOf(c.models[1]);
      push(item, a, b, firstScore(c.strength));
    } else {
      const k = c.models.length;
      if (c.ranks.length !== k || k < 2) throw new RangeError("a ranking needs one rank per model and at least two models");
      const ids = c.models.map(idOf);
      for (let x = 0; x < k; x++) {
        for (let y = x + 1; y < k; y++) {
          const rx = c.ranks[x]!;
          const ry = c.ranks[y]!;
          push(item, ids[x]!, ids[y]!, rankScore(rx, ry));
        }
      }
    }
  }
  const m = modelNames.length;
  const total = cItem.length;

  // Group comparisons by item (CSR), as typed arrays.
  const start = new Int32Array(itemCount + 1);
  for (let c = 0; c < total; c++) start[cItem[c]! + 1]! += 1;
  for (let u = 0; u < itemCount; u++) start[u + 1]! += start[u]!;
  const fill = start.slice(0, itemCount);
  const pI = new Int32Array(total);
  const pJ = new Int32Array(total);
  const pS = new Float64Array(total);
  for (let c = 0; c < total; c++) {
    const pos = fill[cItem[c]!]!++;
    pI[pos] = cI[c]!;
    pJ[pos] = cJ[c]!;
    pS[pos] = cScore[c]!;
  }

  // Full-data wins matrix and counts.
  const w = new Float64Array(m * m);
  const games = new Float64Array(m * m);
  const winsOf = new Float64Array(m);
  const lossesOf = new Float64Array(m);
  const tiesOf = new Float64Array(m);
  for (let c = 0; c < total; c++) {
    const i = pI[c]!;
    const j = pJ[c]!;
    const s = pS[c]!;
    w[i * m + j]! += s;
    w[j * m + i]! += 1 - s;
    games[i * m + j]! += 1;
    games[j * m + i]! += 1;
    if (s === 1) {
      winsOf[i]! += 1;
      lossesOf[j]! += 1;
    } else if (s === 0) {
      winsOf[j]! += 1;
      lossesOf[i]! += 1;
    } else {
      tiesOf[i]! += 1;
      tiesOf[j]! += 1;
    }
  }

  // Main fit.
  const active = new Uint8Array(m).fill(1);
  const reasons = exclude(w, m, active);
  const logp = new Float64Array(m);
  const fit = mm(w, m, active, logp, tolerance, maxIterations);
  const connected = stronglyConnected(w, m, active);
  const rating = new Float64Array(m).fill(NaN);
  toRatings(logp, active, rating);

  // Bootstrap.
  const low = new Float64Array(m).fill(NaN);
  const high = new Float64Array(m).fill(NaN);
  let degenerate = 0;
  if (rounds > 0 && itemCount > 0) {
    const rng = createRng(seed);
    const boot = itemContributions(start, pI, pJ, pS, m, active);
    const samples = new Float64Array(rounds * m);
    const mult = new Int32Array(itemCount);
    const wr = new Float64Array(m * m);
    const activeR = new Uint8Array(m);
    const logpR = new Float64Array(m);
    const ratingR = new Float64Array(m);
    for (let r = 0; r < rounds; r++) {
      mult.fill(0);
      for (let t = 0; t < itemCount; t++) mult[rng.int(itemCount)]! += 1;
      wr.fill(0);
      const { itemStart, cellA, cellB, winsA, winsB } = boot;
      for (let u = 0; u < itemCount; u++) {
        const k = mult[u]!;
        if (k === 0) continue;
        const end = itemStart[u + 1]!;
        for (let c = itemStart[u]!; c < end; c++) {
          wr[cellA[c]!]! += k * winsA[c]!;
          wr[cellB[c]!]! += k * winsB[c]!;
        }
      }
      activeR.set(active);
      const reasonsR = exclude(wr, m, activeR);
      logpR.set(logp);
      mm(wr, m, activeR, logpR, tolerance, maxIterations);
      ratingR.fill(NaN);
      toRatings(logpR, activeR, ratingR);
      let bad = !stronglyConnected(wr, m, activeR);
      for (let i = 0; i < m; i++) {
        if (!active[i]) continue;
        const reason = reasonsR[i];
        let v = ratingR[i]!;
        if (reason === "never-loses") v = Infinity;
        else if (reason === "never-wins") v = -Infinity;
        else if (reason === "not-comparable") v = NaN;
        if (reason !== null) bad = true;
        samples[r * m + i] = v;
      }
      if (bad) degenerate++;
    }
    const column = new Float64Array(rounds);
    for (let i = 0; i < m; i++) {
      if (!active[i]) continue;
      for (let r = 0; r < rounds; r++) column[r] = samples[r * m + i]!;
      const ci = percentileInterval(column, level);
      if (ci !== null) {
        low[i] = ci.low;
        high[i] = ci.high;
      }
    }
  }
  const { order, ratings } = rankLeaderboard({
    modelNames,
    active,
    rating,
    low,
    high,
    excluded: reasons,
    wins: winsOf,
    losses: lossesOf,
    ties: tiesOf,
  });
  const winRate = order.map((i) =>
    order.map((j) => {
      const g = games[i * m + j]!;
      return i === j || g === 0 ? null : w[i * m + j]! / g;
    }),
  );
  const comparisonsMatrix = order.map((i) => order.map((j) => (i === j ? 0 : games[i * m + j]!)));
  return {
    ratings,
    models: order.map((i) => modelNames[i]!),
    winRate,
    comparisons: comparisonsMatrix,
    totalComparisons: total,
    items: itemCount,
    converged: fit.converged,
    iterations: fit.iterations,
    stronglyConnected: connected,
    bootstrap: { rounds: itemCount > 0 ? rounds : 0, seed, level, degenerateRounds: degenerate },
  };
}

/**
 * The leaderboard rows from a fit and its bootstrap bounds, shared by {@link bradleyTerry}
 * and the dashboard's aggregated variant: a missing bound falls back to the rating; rated
 * models come first by rating (name as tie-break), then excluded ones by name; rank = 1 +
 * the number of rated models whose lower bound is above this model's upper bound.
 * Returns the row order (indexes into the inputs) and the rows.
 */
export function rankLeaderboard(p: {
  modelNames: readonly string[];
  active: ArrayLike<number | boolean>;
  /** Null or NaN for excluded models. */
  rating: ArrayLike<number | null>;
  low: ArrayLike<number>;
  high: ArrayLike<number>;
  excluded: readonly (ExclusionReason | null)[];
  wins: ArrayLike<number>;
  losses: ArrayLike<number>;
  ties: ArrayLike<number>;
}): { order: number[]; ratings: ModelRating[] } {
  const m = p.modelNames.length;
  const rating = Float64Array.from({ length: m }, (_, i) => p.rating[i] ?? NaN);
  const low = Float64Array.from({ length: m }, (_, i) => (Number.isNaN(p.low[i]!) ? rating[i]! : p.low[i]!));
  const high = Float64Array.from({ length: m }, (_, i) => (Number.isNaN(p.high[i]!) ? rating[i]! : p.high[i]!));
  const names = p.modelNames;
  const active = Array.from({ length: m }, (_, i) => Boolean(p.active[i]));
  const order = Array.from({ length: m }, (_, i) => i).sort((a, b) => {
    if (active[a] !== active[b]) return active[a] ? -1 : 1;
    if (active[a] && rating[a] !== rating[b]) return rating[b]! - rating[a]!;
    return names[a]! < names[b]! ? -1 : names[a]! > names[b]! ? 1 : 0;
  });
  const ratings = order.map((i): ModelRating => {
    let rank: number | null = null;
    if (active[i]) {
      rank = 1;
      for (let j = 0; j < m; j++) if (active[j] && j !== i && low[j]! > high[i]!) rank++;
    }
    return {
      model: names[i]!,
      rating: active[i] ? rating[i]! : null,
      ciLow: active[i] ? low[i]! : null,
      ciHigh: active[i] ? high[i]! : null,
      rank,
      excluded: p.excluded[i] ?? null,
      wins: p.wins[i]!,
      losses: p.losses[i]!,
      ties: p.ties[i]!,
    };
  });
  return { order, ratings };
}

/**
 * Per-item contributions to the wins matrix for the bootstrap, restricted to comparisons
 * between active models and merged by model pair within each item: entry c adds
 * `winsA[c]` to cell `cellA[c]` (= i·m + j) and `winsB[c]` to cell `cellB[c]` (= j·m + i).
 */
function itemContributions(
  start: Int32Array,
  pI: Int32Array,
  pJ: Int32Array,
  pS: Float64Array,
  m: number,
  active: Uint8Array,
): { itemStart: Int32Array; cellA: Int32Array; cellB: Int32Array; winsA: Float64Array; winsB: Float64Array } {
  const items = start.length - 1;
  const itemStart = new Int32Array(items + 1);
  const cellA = new Int32Array(pI.length);
  const cellB = new Int32Array(pI.length);
  const winsA = new Float64Array(pI.length);
  const winsB = new Float64Array(pI.length);
  // slotOf[cell] = position of that pair in the current item's entries (valid if ≥ the item's first entry).
  const slotOf = new Int32Array(m * m).fill(-1);
  let out = 0;
  for (let u = 0; u < items; u++) {
    const first = out;
    for (let c = start[u]!; c < start[u + 1]!; c++) {
      const i = pI[c]!;
      const j = pJ[c]!;
      if (!active[i] || !active[j]) continue;
      const cell = i * m + j;
      let slot = slotOf[cell]!;
      if (slot < first) {
        slot = out++;
        slotOf[cell] = slot;
        cellA[slot] = cell;
        cellB[slot] = j * m + i;
      }
      winsA[slot]! += pS[c]!;
      winsB[slot]! += 1 - pS[c]!;
    }
    itemStart[u + 1] = out;
  }
  return {
    itemStart,
    cellA: cellA.subarray(0, out),
    cellB: cellB.subarray(0, out),
    winsA: winsA.subarray(0, out),
    winsB: winsB.subarray(0, out),
  };
}

/**
 * Repeatedly removes from `active` the models that never lose, never win, or have no
 * comparison against the other active models. Returns the reason per model (null = kept).
 */
function exclude(w: Float64Array, m: number, active: Uint8Array): (ExclusionReason | null)[] {
  const reasons: (ExclusionReason | null)[] = new Array<ExclusionReason | null>(m).fill(null);
  for (;;) {
    const flagged: number[] = [];
    for (let i = 0; i < m; i++) {
      if (!active[i]) continue;
      let won = 0;
      let lost = 0;
      for (let j = 0; j < m; j++) {
        if (j === i || !active[j]) continue;
        won += w[i * m + j]!;
        lost += w[j * m + i]!;
      }
      if (won + lost === 0) reasons[i] = "not-comparable";
      else if (lost === 0) reasons[i] = "never-loses";
      else if (won === 0) reasons[i] = "never-wins";
      else continue;
      flagged.push(i);
    }
    if (flagged.length === 0) return reasons;
    for (const i of flagged) active[i] = 0;
  }
}

/**
 * MM (Zermelo / Hunter 2004) iterations on the active models, updating `logp` in place
 * (cyclic updates, then re-centred to mean 0). Inactive entries are left untouched.
 */
function mm(
  w: Float64Array,
  m: number,
  active: Uint8Array,
  logp: Float64Array,
  tolerance: number,
  maxIterations: number,
): { iterations: number; converged: boolean } {
  const idx: number[] = [];
  for (let i = 0; i < m; i++) if (active[i]) idx.push(i);
  const a = idx.length;
  if (a === 0) return { iterations: 0, converged: true };
  const won = new Float64Array(a);
  const n = new Float64Array(a * a);
  for (let x = 0; x < a; x++) {
    for (let y = 0; y < a; y++) {
      if (x === y) continue;
      const wxy = w[idx[x]! * m + idx[y]!]!;
      won[x]! += wxy;
      n[x * a + y] = wxy + w[idx[y]! * m + idx[x]!]!;
    }
  }
  const p = new Float64Array(a);
  let mean = 0;
  for (let x = 0; x < a; x++) mean += logp[idx[x]!]!;
  mean /= a;
  for (let x = 0; x < a; x++) p[x] = Math.exp(logp[idx[x]!]! - mean);
  const prev = new Float64Array(a);
  let iterations = 0;
  let converged = false;
  while (iterations < maxIterations) {
    iterations++;
    prev.set(p);
    for (let x = 0; x < a; x++) {
      let denom = 0;
      const px = p[x]!;
      const row = x * a;
      for (let y = 0; y < a; y++) {
        const nxy = n[row + y]!;
        if (nxy !== 0) denom += nxy / (px + p[y]!);
      }
      p[x] = won[x]! / denom;
    }
    let logMean = 0;
    for (let x = 0; x < a; x++) logMean += Math.log(p[x]!);
    logMean /= a;
    const scale = Math.exp(-logMean);
    let delta = 0;
    for (let x = 0; x < a; x++) {
      p[x]! *= scale;
      const d = Math.abs(Math.log(p[x]! / prev[x]!));
      if (d > delta) delta = d;
    }
    if (delta < tolerance) {
      converged = true;
      break;
    }
  }
  for (let x = 0; x < a; x++) logp[idx[x]!] = Math.log(p[x]!);
  return { iterations, converged };
}

/** Ratings 1000 + 400·log10(p) from a fit's log-strengths, mean 1000 over the fitted models; null for excluded ones. */
export function ratingsFromLogStrengths(logStrengths: readonly (number | null)[]): (number | null)[] {
  let sum = 0;
  let count = 0;
  for (const v of logStrengths) {
    if (v === null) continue;
    sum += v;
    count++;
  }
  const mean = count > 0 ? sum / count : 0;
  return logStrengths.map((v) => (v === null ? null : 1000 + LOG10E_400 * (v - mean)));
}

/** Ratings 1000 + 400·log10(p), mean 1000 over the active models; others untouched (the bootstrap's typed-array form). */
function toRatings(logp: Float64Array, active: Uint8Array, out: Float64Array): void {
  let sum = 0;
  let count = 0;
  for (let i = 0; i < logp.length; i++) {
    if (!active[i]) continue;
    sum += logp[i]!;
    count++;
  }
  const mean = count > 0 ? sum / count : 0;
  for (let i = 0; i < logp.length; i++) if (active[i]) out[i] = 1000 + LOG10E_400 * (logp[i]! - mean);
}

/** Whether every active model reaches every other along "i has beaten or tied j" edges. */
function stronglyConnected(w: Float64Array, m: number, active: Uint8Array): boolean {
  let first = -1;
  let count = 0;
  for (let i = 0; i < m; i++) {
    if (active[i]) {
      if (first < 0) first = i;
      count++;
    }
  }
  if (count <= 1) return true;
  const reach = (forward: boolean): number => {
    const seen = new Uint8Array(m);
    const stack = [first];
    seen[first] = 1;
    let reached = 1;
    while (stack.length > 0) {
      const i = stack.pop()!;
      for (let j = 0; j < m; j++) {
        if (seen[j] || !active[j]) continue;
        const edge = forward ? w[i * m + j]! : w[j * m + i]!;
        if (edge > 0) {
          seen[j] = 1;
          reached++;
          stack.push(j);
        }
      }
    }
    return reached;
  };
  return reach(true) === count && reach(false) === count;
}
