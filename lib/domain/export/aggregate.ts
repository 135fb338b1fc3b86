/**
 * Aggregation of one task's judgments into a consensus.
 *
 * Counted judgments: state `valid`, annotator not excluded, answer well-formed for
 * the task (a legal strength on the scale, or a full ranking 1..K). Rejected,
 * superseded and excluded judgments never count; gold tasks are left out by the
 * row builder before aggregation matters.
 */
import { isValidStrength, UNSAFE_CATEGORIES, type Ranks, type UnsafeCategory } from "@/lib/domain/preference";
import type { ExportJudgment, ExportPolicy, ExportTask, TaskDropReason, UnsafeFlags } from "@/lib/domain/export/types";

/** How a task's judgments were sorted. */
export interface JudgmentTally {
  total: number;
  counted: number;
  rejected: number;
  superseded: number;
  /** Valid judgments of excluded annotators. */
  excluded: number;
  /** Valid judgments whose answer does not fit the task (wrong scale / malformed ranking). */
  invalid: number;
}

/** A pairwise vote category. */
export type PairwiseOutcome = "A" | "B" | "tie" | "both_unacceptable";

/** Consensus of a pairwise task. */
export interface PairwiseConsensus {
  kind: "pairwise";
  outcome: PairwiseOutcome;
  /** Mean |strength| of the judgments in the majority category (0 for tie / both unacceptable). */
  strength: number;
  /** Share of counted judgments in the majority category (1 when adjudicated with no counted judgments). */
  agreement: number;
}

/** Consensus of a ranking task. */
export interface RankingConsensus {
  kind: "ranking";
  /** True when a strict majority of counted judgments said "all unacceptable". */
  bothUnacceptable: boolean;
  /** Mean rank of each canonical candidate over the counted rankings (adjudicated: the lead's ranks). */
  meanRanks: number[];
  /** Task-level agreement: share saying "all unacceptable" when that won, else share that gave a ranking. */
  agreement: number;
}

/** Everything the row builder needs from the judgments of a task. */
export interface TaskAggregate {
  tally: JudgmentTally;
  /** Number of counted judgments (the `n_annotators` column). */
  nAnnotators: number;
  /** Whether an adjudicated label decided the consensus. */
  adjudicated: boolean;
  /** Consensus safety flag of each canonical candidate (null = safe). */
  unsafe: (UnsafeCategory | null)[];
  /** Per candidate: share of counted judgments flagging it unsafe (1 for an adjudicated flag with no judgments). */
  unsafeShare: number[];
  /** Per candidate: a strict majority of counted judgments flags it for a role-play fault (any of them). */
  roleplayFlagged: boolean[];
  /** Counted rankings (ranking tasks; empty otherwise) — each entry ranks[i] = rank of candidate i. */
  rankings: Ranks[];
  /** Number of counted "both unacceptable" votes. */
  bothUnacceptableVotes: number;
  /** Counted pairwise outcomes (pairwise tasks; empty otherwise). */
  outcomes: PairwiseOutcome[];
  /**
   * The consensus, or why there is none. `ties` is set when the consensus is a tie
   * (pairwise tie, or every mean rank equal) or "both unacceptable": such tasks go
   * to ties.jsonl and give no training pairs.
   */
  result:
    | { ok: true; consensus: PairwiseConsensus | RankingConsensus; ties: "tie" | "both_unacceptable" | null }
    | { ok: false; reason: Exclude<TaskDropReason, "tie" | "both_unacceptable"> };
}

const EPS = 1e-9;

/** Whether `ranks` is a complete ranking of `k` candidates (integers 1..k; equal ranks = ties). */
export function isValidRanking(ranks: Ranks | null | undefined, k: number): ranks is Ranks {
  return Array.isArray(ranks) && ranks.length === k && ranks.every((r) => Number.isInteger(r) && r >= 1 && r <= k);
}

function flagOf(flags: UnsafeFlags | null | undefined, index: number): UnsafeCategory | null {
  if (!flags) return null;
  const value = (flags as Record<string, unknown>)[String(index)];
  return typeof value === "string" && (UNSAFE_CATEGORIES as readonly string[]).includes(value) ? (value as UnsafeCategory) : null;
}

function pairwiseOutcome(strength: number): PairwiseOutcome {
  return strength < 0 ? "A" : strength > 0 ? "B" : "tie";
}

function answerIsValid(task: ExportTask, j: { strength?: number | null; ranks?: Ranks | null; bothUnacceptable?: boolean }): boolean {
  if (j.bothUnacceptable) return true;
  if (task.kind === "pairwise") return typeof j.strength === "number" && isValidStrength(j.strength, task.scalePoints);
  return isValidRanking(j.ranks, task.candidates.length);
}

/**
 * Sorts a task's judgments into counted / rejected / superseded / excluded / invalid.
 * Returns the counted ones.
 */
export function countedJudgments(task: ExportTask): { counted: ExportJudgment[]; tally: JudgmentTally } {
  const tally: JudgmentTally = { total: 0, counted: 0, rejected: 0, superseded: 0, excluded: 0, invalid: 0 };
  const counted: ExportJudgment[] = [];
  for (const j of task.judgments) {
    tally.total++;
    if (j.state === "rejected") tally.rejected++;
    else if (j.state === "superseded") tally.superseded++;
    else if (j.excluded) tally.excluded++;
    else if (!answerIsValid(task, j)) tally.invalid++;
    else {
      tally.counted++;
      counted.push(j);
    }
  }
  return { counted, tally };
}

/** Per candidate: whether a strict majority of counted judgments gives it any role-play flag. */
function roleplayConsensus(k: number, counted: readonly ExportJudgment[]): boolean[] {
  const flagged = new Array<number>(k).fill(0);
  let any = false;
  for (const j of counted) {
    const flags = j.roleplayFlags;
    if (!flags) continue;
    for (let i = 0; i < k; i++) {
      if ((flags[i]?.length ?? 0) > 0) {
        flagged[i]!++;
        any = true;
      }
    }
  }
  return any ? flagged.map((f) => f * 2 > counted.length) : new Array<boolean>(k).fill(false);
}

function safetyConsensus(
  task: ExportTask,
  counted: readonly ExportJudgment[],
): { unsafe: (UnsafeCategory | null)[]; unsafeShare: number[] } {
  const k = task.candidates.length;
  const n = counted.length;
  const adjudicatedFlags = task.adjudicated?.unsafe;
  const unsafe: (UnsafeCategory | null)[] = [];
  const unsafeShare: number[] = [];
  for (let i = 0; i < k; i++) {
    const byCategory = new Map<UnsafeCategory, number>();
    let flagged = 0;
    for (const j of counted) {
      const c = flagOf(j.unsafe, i);
      if (c) {
        flagged++;
        byCategory.set(c, (byCategory.get(c) ?? 0) + 1);
      }
    }
    const share = n > 0 ? flagged / n : 0;
    if (adjudicatedFlags) {
      const c = flagOf(adjudicatedFlags, i);
      unsafe.push(c);
      unsafeShare.push(c && n === 0 ? 1 : share);
      continue;
    }
    // Strict majority of counted judgments; the category most often given (earlier in
    // UNSAFE_CATEGORIES on a tie).
    if (n > 0 && flagged * 2 > n) {
      let best: UnsafeCategory | null = null;
      let bestCount = -1;
      for (const c of UNSAFE_CATEGORIES) {
        const count = byCategory.get(c) ?? 0;
        if (count > bestCount) {
          best = c;
          bestCount = count;
        }
      }
      unsafe.push(best);
    } else unsafe.push(null);
    unsafeShare.push(share);
  }
  return { unsafe, unsafeShare };
}

/**
 * Aggregates a task's counted judgments (see the module comment).
 *
 * Pairwise: each counted judgment votes A, B, tie or both_unacceptable; the unique
 * most frequent category wins (two categories level at the top → `no_majority`);
 * `strength` is the mean |strength| of the winning side; `agreement` is its share.
 * Fewer than `minJudgments` counted judgments → `too_few_judgments`; agreement below
 * `minAgreement` → `low_agreement`; a winning tie or both_unacceptable is a consensus
 * with `ties` set (routed to ties.jsonl by the row builder).
 *
 * Ranking: a strict majority of "all unacceptable" votes makes the task
 * `both_unacceptable`; otherwise the consensus is the mean rank of each candidate
 * over the counted rankings (lower = better). Agreement and `minAgreement` are then
 * applied per candidate pair by the row builder; equal mean ranks are ties.
 *
 * An adjudicated label overrides the vote and skips `minJudgments` / `minAgreement`;
 * agreement is then the share of counted judgments matching the label (1 if none).
 * Safety: a candidate is consensus-unsafe when a strict majority of counted judgments
 * flag it (any category; the most frequent category is reported), unless the
 * adjudicated label carries its own flags.
 */
export function aggregateTask(
  task: ExportTask,
  policy: Pick<ExportPolicy, "minJudgments" | "minAgreement"> & Partial<Pick<ExportPolicy, "consensus" | "minPosterior">>,
): TaskAggregate {
  const { counted, tally } = countedJudgments(task);
  const n = counted.length;
  const { unsafe, unsafeShare } = safetyConsensus(task, counted);
  const roleplayFlagged = roleplayConsensus(task.candidates.length, counted);
  const bothUnacceptableVotes = counted.filter((j) => j.bothUnacceptable).length;
  const rankings: Ranks[] = task.kind === "ranking" ? counted.filter((j) => !j.bothUnacceptable).map((j) => j.ranks as Ranks) : [];
  const outcomes: PairwiseOutcome[] =
    task.kind === "pairwise" ? counted.map((j) => (j.bothUnacceptable ? "both_unacceptable" : pairwiseOutcome(j.strength as number))) : [];
  const base: AggregateBase = { tally, nAnnotators: n, unsafe, unsafeShare, roleplayFlagged, rankings, bothUnacceptableVotes, outcomes };

  const adj = task.adjudicated;
  if (adj && answerIsValid(task, adj)) {
    if (task.kind === "pairwise") {
      const outcome: PairwiseOutcome = adj.bothUnacceptable ? "both_unacceptable" : pairwiseOutcome(adj.strength as number);
      const agree = outcomes.filter((o) => o === outcome).length;
      const consensus: PairwiseConsensus = {
        kind: "pairwise",
        outcome,
        strength: adj.bothUnacceptable ? 0 : Math.abs(adj.strength as number),
        agreement: n > 0 ? agree / n : 1,
      };
      return withResult(base, true, routed(consensus));
    }
    const consensus: RankingConsensus = {
      kind: "ranking",
      bothUnacceptable: Boolean(adj.bothUnacceptable),
      meanRanks: adj.bothUnacceptable ? task.candidates.map(() => 1) : [...(adj.ranks as Ranks)],
      agreement: n > 0 ? (adj.bothUnacceptable ? bothUnacceptableVotes : rankings.length) / n : 1,
    };
    return withResult(base, true, rankingRouted(consensus));
  }

  if (n < policy.minJudgments || n === 0) return withResult(base, false, { ok: false, reason: "too_few_judgments" });

  if (task.kind === "pairwise" && policy.consensus !== undefined && policy.consensus !== "majority") {
    return withResult(base, false, modelResult(task, counted, bothUnacceptableVotes, policy.minPosterior ?? 0.8));
  }

  if (task.kind === "pairwise") {
    const counts = new Map<PairwiseOutcome, number>();
    for (const o of outcomes) counts.set(o, (counts.get(o) ?? 0) + 1);
    const sorted = [...counts.entries()].sort((a, b) => b[1] - a[1]);
    const [top, second] = sorted;
    if (!top || (second && second[1] === top[1])) return withResult(base, false, { ok: false, reason: "no_majority" });
    const agreement = top[1] / n;
    if (agreement + EPS < policy.minAgreement) return withResult(base, false, { ok: false, reason: "low_agreement" });
    const side = counted.filter((j) => !j.bothUnacceptable && pairwiseOutcome(j.strength as number) === top[0]);
    const strength = top[0] === "A" || top[0] === "B" ? side.reduce((s, j) => s + Math.abs(j.strength as number), 0) / side.length : 0;
    return withResult(base, false, routed({ kind: "pairwise", outcome: top[0], strength, agreement }));
  }

  if (bothUnacceptableVotes * 2 > n) {
    const agreement = bothUnacceptableVotes / n;
    if (agreement + EPS < policy.minAgreement) return withResult(base, false, { ok: false, reason: "low_agreement" });
    const consensus: RankingConsensus = {
      kind: "ranking",
      bothUnacceptable: true,
      meanRanks: task.candidates.map(() => 1),
      agreement,
    };
    return withResult(base, false, rankingRouted(consensus));
  }
  const k = task.candidates.length;
  const meanRanks = Array.from({ length: k }, (_, i) => rankings.reduce((s, r) => s + (r[i] ?? 0), 0) / rankings.length);
  const consensus: RankingConsensus = { kind: "ranking", bothUnacceptable: false, meanRanks, agreement: rankings.length / n };
  return withResult(base, false, rankingRouted(consensus));
}

const MODEL_OUTCOMES: readonly PairwiseOutcome[] = ["A", "tie", "B"];

/**
 * A pairwise task's decision under a model-based consensus: a strict majority of "both
 * unacceptable" votes stays that answer (the models know only A, tie and B; its agreement is
 * the share of those votes); otherwise the model's label wins, its posterior is the agreement
 * and must reach `minPosterior` (else `low_agreement`), and the strength is the mean
 * |strength| of the counted judgments on the label's side (1 when none is: the model
 * overruled every vote there).
 */
function modelResult(
  task: ExportTask,
  counted: readonly ExportJudgment[],
  bothUnacceptableVotes: number,
  minPosterior: number,
): TaskAggregate["result"] {
  const n = counted.length;
  if (bothUnacceptableVotes * 2 > n) {
    const agreement = bothUnacceptableVotes / n;
    if (agreement + EPS < minPosterior) return { ok: false, reason: "low_agreement" };
    return routed({ kind: "pairwise", outcome: "both_unacceptable", strength: 0, agreement });
  }
  const model = task.modelConsensus;
  if (!model) return { ok: false, reason: "no_majority" };
  const outcome = MODEL_OUTCOMES[model.label]!;
  const agreement = model.posterior[model.label]!;
  if (agreement + EPS < minPosterior) return { ok: false, reason: "low_agreement" };
  let strength = 0;
  if (outcome !== "tie") {
    const side = counted.filter((j) => !j.bothUnacceptable && pairwiseOutcome(j.strength as number) === outcome);
    strength = side.length > 0 ? side.reduce((s, j) => s + Math.abs(j.strength as number), 0) / side.length : 1;
  }
  return routed({ kind: "pairwise", outcome, strength, agreement });
}

/** Everything but the decision, shared by every outcome of {@link aggregateTask}. */
type AggregateBase = Omit<TaskAggregate, "adjudicated" | "result">;

/** The aggregate with its decision, written out field by field (`{ ...base, … }` is V8's slow path, and this runs per task). */
function withResult(base: AggregateBase, adjudicated: boolean, result: TaskAggregate["result"]): TaskAggregate {
  return {
    tally: base.tally,
    nAnnotators: base.nAnnotators,
    adjudicated,
    unsafe: base.unsafe,
    unsafeShare: base.unsafeShare,
    roleplayFlagged: base.roleplayFlagged,
    rankings: base.rankings,
    bothUnacceptableVotes: base.bothUnacceptableVotes,
    outcomes: base.outcomes,
    result,
  };
}

function routed(consensus: PairwiseConsensus): TaskAggregate["result"] {
  const ties = consensus.outcome === "tie" || consensus.outcome === "both_unacceptable" ? consensus.outcome : null;
  return { ok: true, consensus, ties };
}

function rankingRouted(consensus: RankingConsensus): TaskAggregate["result"] {
  if (consensus.bothUnacceptable) return { ok: true, consensus, ties: "both_unacceptable" };
  const [first, ...rest] = consensus.meanRanks;
  const allTied = first !== undefined && rest.every((r) => sameRank(r, first));
  return { ok: true, consensus, ties: allTied ? "tie" : null };
}

/** Whether two mean ranks are equal (within floating-point noise). */
export function sameRank(a: number, b: number): boolean {
  return Math.abs(a - b) < EPS;
}
