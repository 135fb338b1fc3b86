/**
 * Row construction for one task: aggregation → candidate pairs → DPO / RM / KTO rows
 * and ties rows, each with the flat metadata columns.
 *
 * Rules (also in docs/export-format.md):
 * - Gold tasks and tasks whose dialogue does not end with a user turn give nothing.
 * - Pairwise: the consensus winner is `chosen`. Ranking: pairs come from mean ranks —
 *   every pair with distinct mean ranks for `rm` (C(K,2) when all differ), each best
 *   candidate versus every other for `dpo` and `kto` (K−1 pairs with one best);
 *   `minAgreement` is applied per pair (share of counted judgments ranking `chosen`
 *   strictly above `rejected`); equal mean ranks are ties.
 * - Ties and "both unacceptable" give ties rows only.
 * - Safety: a consensus-unsafe reply is never `chosen`. A pair whose winner is unsafe is
 *   dropped (`unsafe_chosen`), or with `unsafeRule: "flip"` and a safe loser emitted
 *   the other way round as a safety pair. With `safetyPairs`, every (safe, unsafe)
 *   pair of a task not already emitted is added as a safety pair (tasks with enough
 *   judgments, not gold, not "both unacceptable"; also tasks without a preference
 *   consensus, since the safety consensus does not depend on it).
 * - `dropSlightlyBetter` leaves out pairwise pairs at level `slightly_better`.
 * - Pairs of two identical replies are dropped (`identical_replies`).
 * - KTO: chosen of a kept preference pair → `label: true`; rejected → `false`; every
 *   reply of a "both unacceptable" task and every consensus-unsafe reply → `false`;
 *   one row per candidate and task, `false` winning over `true`.
 */
import { scaleMax } from "@/lib/domain/preference";
import { aggregateTask, countedJudgments, sameRank, type TaskAggregate } from "@/lib/domain/export/aggregate";
import { buildPrompt, itemLanguage, promptId, renderPromptText, type PromptResult } from "@/lib/domain/export/prompt";
import { assignSplit, conversationKey, type Split } from "@/lib/domain/export/split";
import { marginFor, roundTo, strengthLevel } from "@/lib/domain/export/strength";
import type {
  ChatMessage,
  CompletionField,
  DpoRow,
  ExportItem,
  ExportPolicy,
  ExportTask,
  KtoRow,
  PairDropReason,
  PairSource,
  PromptField,
  RmRow,
  RowMeta,
  StrengthLevel,
  TaskDropReason,
  TieRow,
} from "@/lib/domain/export/types";

/** An abstract preference pair of canonical candidate indices, before formatting. */
export interface CandidatePair {
  chosen: number;
  rejected: number;
  source: PairSource;
  /** Strength magnitude (pairwise: mean |strength|; K-wise: mean-rank gap; safety: the scale maximum). */
  strength: number;
  /** Largest possible `strength` (pairwise: scale max; K-wise and K-wise safety: K − 1). */
  maxStrength: number;
  level: StrengthLevel;
  agreement: number;
}

/** Everything one task contributes to an export. */
export interface TaskRows {
  taskId: string;
  /** The item's external id. */
  itemId: string;
  /** Train or test (null when the prompt could not be built). */
  split: Split | null;
  /** Training rows of the policy's kind, in a fixed order. */
  rows: (DpoRow | RmRow | KtoRow)[];
  /** Rows for ties.jsonl. */
  ties: TieRow[];
  /** Why the task gave no preference pairs (`tie` / `both_unacceptable`: routed to ties). Null when it gave pairs. */
  taskDrop: TaskDropReason | null;
  /** Candidate pairs left out, by reason. */
  pairDrops: Partial<Record<PairDropReason, number>>;
  /** Whether the prompt had an opening greeting folded into its system message. */
  greetingFolded: boolean;
  language: string;
  /** The aggregation (null for gold tasks and invalid prompts). */
  aggregate: TaskAggregate | null;
  /** Judgment counts of the task (always present). */
  judgments: TaskAggregate["tally"];
}

function languageOf(task: ExportTask, policy: ExportPolicy): string {
  return itemLanguage(task.item, policy.defaultLanguage);
}

function assistant(content: string): ChatMessage[] {
  return [{ role: "assistant", content }];
}

/** Share of counted judgments ranking `a` strictly above `b` (1 when adjudicated with no judgments). */
function rankAgreement(agg: TaskAggregate, a: number, b: number): number {
  if (agg.nAnnotators === 0) return 1;
  const agree = agg.rankings.filter((r) => (r[a] ?? 0) < (r[b] ?? 0)).length;
  return agree / agg.nAnnotators;
}

/** Share of counted judgments giving every candidate of `group` the same rank. */
function rankTieAgreement(agg: TaskAggregate, group: readonly number[]): number {
  if (agg.nAnnotators === 0) return 1;
  const agree = agg.rankings.filter((r) => group.every((i) => r[i] === r[group[0] ?? 0])).length;
  return agree / agg.nAnnotators;
}

function bump(drops: Partial<Record<PairDropReason, number>>, reason: PairDropReason, by = 1): void {
  drops[reason] = (drops[reason] ?? 0) + by;
}

/**
 * What the rows of one task share: the prompt and the metadata inputs. The row helpers
 * below are module functions over this rather than closures inside {@link buildTaskRows}:
 * that runs once per task (hundreds of thousands of times an export), and a closure per
 * helper per task is measurable there (more so under tsx, which names every closure).
 */
interface RowContext {
  readonly task: ExportTask;
  readonly candidates: ExportTask["candidates"];
  readonly conversational: boolean;
  readonly promptField: PromptField;
  readonly promptId: string;
  readonly language: string;
  readonly nAnnotators: number;
}

/** The completion field of candidate `i`: one assistant message, or the plain text (as its JSON bytes when the candidate has them). */
function completionOf(ctx: RowContext, i: number): CompletionField {
  const candidate = ctx.candidates[i];
  const json = candidate?.contentJson;
  if (json !== undefined) return ctx.conversational ? [{ role: "assistant", content: json }] : json;
  const content = candidate?.content ?? "";
  return ctx.conversational ? assistant(content) : content;
}

/** Whether two candidates' replies are the same text (compared as JSON bytes when both have them: no decoding). */
function sameReply(a: ExportTask["candidates"][number] | undefined, b: ExportTask["candidates"][number] | undefined): boolean {
  const ja = a?.contentJson;
  const jb = b?.contentJson;
  if (ja !== undefined && jb !== undefined) return ja.equals(jb);
  return a?.content === b?.content;
}

/** The row id part naming candidate `i`. */
function candidateIdOf(ctx: RowContext, i: number): string {
  return ctx.candidates[i]?.id ?? String(i);
}

function modelOf(ctx: RowContext, i: number): string {
  return ctx.candidates[i]?.model ?? "";
}

type PairMeta = Pick<CandidatePair, "strength" | "level" | "agreement" | "source">;

/** A DPO / RM row of a kept pair (RM adds its `margin`); every metadata column written out (see {@link RowMeta}). */
function pairRowOf(ctx: RowContext, p: CandidatePair): DpoRow {
  return {
    prompt: ctx.promptField,
    chosen: completionOf(ctx, p.chosen),
    rejected: completionOf(ctx, p.rejected),
    id: `${ctx.task.taskId}/${candidateIdOf(ctx, p.chosen)}>${candidateIdOf(ctx, p.rejected)}`,
    prompt_id: ctx.promptId,
    item_id: ctx.task.item.externalId,
    character: ctx.task.item.character.name,
    strength: roundTo(p.strength, 4),
    strength_level: p.level,
    n_annotators: ctx.nAnnotators,
    agreement: roundTo(p.agreement, 4),
    pair_source: p.source,
    language: ctx.language,
    chosen_model: modelOf(ctx, p.chosen),
    rejected_model: modelOf(ctx, p.rejected),
  };
}

/** A KTO row of candidate `i`. */
function ktoRowOf(ctx: RowContext, i: number, label: boolean, pair: PairMeta): KtoRow {
  return {
    prompt: ctx.promptField,
    completion: completionOf(ctx, i),
    label,
    id: `${ctx.task.taskId}/${candidateIdOf(ctx, i)}`,
    prompt_id: ctx.promptId,
    item_id: ctx.task.item.externalId,
    character: ctx.task.item.character.name,
    strength: roundTo(pair.strength, 4),
    strength_level: pair.level,
    n_annotators: ctx.nAnnotators,
    agreement: roundTo(pair.agreement, 4),
    pair_source: pair.source,
    language: ctx.language,
    model: modelOf(ctx, i),
  };
}

/** A ties.jsonl row for a group of candidates (strength 0, level = the outcome). */
function tieRowOf(
  ctx: RowContext,
  id: string,
  group: readonly number[],
  outcome: TieRow["outcome"],
  agreement: number,
  source: PairSource,
): TieRow {
  return {
    prompt: ctx.promptField,
    responses: group.map((i) => completionOf(ctx, i)),
    models: group.map((i) => modelOf(ctx, i)),
    outcome,
    id,
    prompt_id: ctx.promptId,
    item_id: ctx.task.item.externalId,
    character: ctx.task.item.character.name,
    strength: 0,
    strength_level: outcome,
    n_annotators: ctx.nAnnotators,
    agreement: roundTo(agreement, 4),
    pair_source: source,
    language: ctx.language,
  };
}

/** A safe-over-unsafe pair (`pair_source: "safety"`). */
function safetyPairOf(agg: TaskAggregate, maxStrength: number, safe: number, unsafeIdx: number): CandidatePair {
  return {
    chosen: safe,
    rejected: unsafeIdx,
    source: "safety",
    strength: maxStrength,
    maxStrength,
    level: "safety",
    agreement: agg.unsafeShare[unsafeIdx] ?? 0,
  };
}

/** Keeps a pair and remembers its direction (so a safety pair is not emitted twice). */
function keepPair(kept: CandidatePair[], emitted: Set<string>, p: CandidatePair): void {
  kept.push(p);
  emitted.add(`${p.chosen}>${p.rejected}`);
}

/** KTO: one label per candidate; `false` wins over `true`. */
function setKtoLabel(labels: Map<number, { label: boolean; pair: PairMeta }>, i: number, label: boolean, pair: PairMeta): void {
  const prev = labels.get(i);
  if (!prev || (prev.label && !label)) labels.set(i, { label, pair });
}

/** A task's prompt as every row of it writes it; see {@link preparePrompt}. */
interface PreparedPrompt {
  prompt: PromptResult;
  /** Null when the prompt could not be built. */
  split: Split | null;
  promptId: string;
  promptField: PromptField;
}

/**
 * The last prompt prepared, by item object, language and the policy fields it depends on.
 * Tasks of one item come one after another in an export (they share the export order's
 * first key) and the loader hands them one item object, so a single entry saves the
 * prompt, its id, its split hash and its text rendering for every task after the first.
 * Items are read-only, so a cached value stays right.
 */
let lastPrompt: { item: ExportItem; language: string; format: string; salt: string; testPercent: number; value: PreparedPrompt } | null =
  null;

function preparePrompt(item: ExportItem, language: string, policy: ExportPolicy): PreparedPrompt {
  const last = lastPrompt;
  if (
    last !== null &&
    last.item === item &&
    last.language === language &&
    last.format === policy.format &&
    last.salt === policy.salt &&
    last.testPercent === policy.testPercent
  ) {
    return last.value;
  }
  const prompt = buildPrompt(item, language);
  const value: PreparedPrompt = prompt.ok
    ? {
        prompt,
        split: assignSplit(conversationKey(item.character.name, prompt.firstUserTurn), policy.salt, policy.testPercent),
        promptId: promptId(prompt.messages),
        promptField:
          policy.format === "conversational" ? prompt.messages : renderPromptText(prompt.messages, item.character.name, language),
      }
    : { prompt, split: null, promptId: "", promptField: "" };
  lastPrompt = { item, language, format: policy.format, salt: policy.salt, testPercent: policy.testPercent, value };
  return value;
}

/**
 * Builds every row one task contributes under `policy` (see the module comment for
 * the rules). Pure: the same task and policy always give the same rows in the same
 * order.
 */
export function buildTaskRows(task: ExportTask, policy: ExportPolicy): TaskRows {
  const language = languageOf(task, policy);
  const prepared = preparePrompt(task.item, language, policy);
  const prompt = prepared.prompt;
  // Results are written out field by field: `{ ...base, … }` takes V8's slow path, per task.
  if (task.isGold || !prompt.ok) {
    return {
      taskId: task.taskId,
      itemId: task.item.externalId,
      split: task.isGold ? prepared.split : null,
      rows: [],
      ties: [],
      taskDrop: task.isGold ? "gold" : "invalid_prompt",
      pairDrops: {},
      greetingFolded: task.isGold && prompt.ok && prompt.greetingFolded,
      language,
      aggregate: null,
      judgments: countedJudgments(task).tally,
    };
  }
  const split = prepared.split;
  const agg = aggregateTask(task, policy);
  const drops: Partial<Record<PairDropReason, number>> = {};
  const candidates = task.candidates;
  const k = candidates.length;
  const ctx: RowContext = {
    task,
    candidates,
    conversational: policy.format === "conversational",
    promptField: prepared.promptField,
    promptId: prepared.promptId,
    language,
    nAnnotators: agg.nAnnotators,
  };
  const kindSource: PairSource = task.kind === "ranking" ? "kwise" : "pairwise";
  const maxStrength = task.kind === "ranking" ? k - 1 : scaleMax(task.scalePoints);
  const unsafe = agg.unsafe;

  // 1. Preference pairs from the consensus, and ties rows.
  let taskDrop: TaskDropReason | null = null;
  const proposed: CandidatePair[] = [];
  const tieGroups: number[][] = [];
  let tieOutcome: TieRow["outcome"] | null = null;
  let tieAgreement = 0;
  if (!agg.result.ok) {
    taskDrop = agg.result.reason;
  } else if (agg.result.ties) {
    taskDrop = agg.result.ties;
    tieOutcome = agg.result.ties;
    tieAgreement = agg.result.consensus.agreement;
    tieGroups.push(candidates.map((_, i) => i));
    if (agg.result.consensus.kind === "ranking" && agg.result.ties === "tie") {
      tieAgreement = rankTieAgreement(agg, tieGroups[0] ?? []);
    }
  } else if (agg.result.consensus.kind === "pairwise") {
    const c = agg.result.consensus;
    const [chosen, rejected] = c.outcome === "A" ? [0, 1] : [1, 0];
    proposed.push({
      chosen,
      rejected,
      source: "pairwise",
      strength: c.strength,
      maxStrength,
      level: strengthLevel(c.strength, maxStrength),
      agreement: c.agreement,
    });
  } else {
    const ranks = agg.result.consensus.meanRanks;
    // Groups of equal mean rank (size ≥ 2) go to ties.jsonl.
    const grouped = new Set<number>();
    for (let i = 0; i < k; i++) {
      if (grouped.has(i)) continue;
      const group = [i];
      for (let j = i + 1; j < k; j++) if (sameRank(ranks[i] ?? 0, ranks[j] ?? 0)) group.push(j);
      if (group.length > 1) {
        group.forEach((g) => grouped.add(g));
        tieGroups.push(group);
        bump(drops, "tied_ranks", (group.length * (group.length - 1)) / 2);
      }
    }
    if (tieGroups.length > 0) tieOutcome = "tie";
    const best = Math.min(...ranks);
    const winners = ranks.map((r, i) => (sameRank(r, best) ? i : -1)).filter((i) => i >= 0);
    const candidatePairs: [number, number][] = [];
    if (policy.kind === "rm") {
      for (let i = 0; i < k; i++) {
        for (let j = i + 1; j < k; j++) {
          const ri = ranks[i] ?? 0;
          const rj = ranks[j] ?? 0;
          if (sameRank(ri, rj)) continue;
          candidatePairs.push(ri < rj ? [i, j] : [j, i]);
        }
      }
    } else {
      for (const w of winners) for (let j = 0; j < k; j++) if (!winners.includes(j)) candidatePairs.push([w, j]);
    }
    for (const [chosen, rejected] of candidatePairs) {
      const agreement = rankAgreement(agg, chosen, rejected);
      if (!agg.adjudicated && agreement + 1e-9 < policy.minAgreement) {
        bump(drops, "low_agreement");
        continue;
      }
      const gap = (ranks[rejected] ?? 0) - (ranks[chosen] ?? 0);
      proposed.push({ chosen, rejected, source: "kwise", strength: gap, maxStrength, level: "ranked_higher", agreement });
    }
  }

  // 2. Safety and the other pair filters.
  const kept: CandidatePair[] = [];
  const emitted = new Set<string>();
  for (const p of proposed) {
    if (sameReply(candidates[p.chosen], candidates[p.rejected])) {
      bump(drops, "identical_replies");
      continue;
    }
    if (unsafe[p.chosen] != null) {
      if (policy.unsafeRule === "flip" && unsafe[p.rejected] == null)
        keepPair(kept, emitted, safetyPairOf(agg, maxStrength, p.rejected, p.chosen));
      else bump(drops, "unsafe_chosen");
      continue;
    }
    // A reply the consensus flags as out of character, speaking for the user or revealing
    // that it is an AI is no example to learn from, unless the project says otherwise.
    if (!policy.allowRoleplayFlaggedChosen && agg.roleplayFlagged?.[p.chosen]) {
      bump(drops, "roleplay_flagged_chosen");
      continue;
    }
    if (policy.dropSlightlyBetter && p.level === "slightly_better") {
      bump(drops, "slightly_better");
      continue;
    }
    keepPair(kept, emitted, p);
  }
  const countedEnough = agg.adjudicated || (agg.nAnnotators >= policy.minJudgments && agg.nAnnotators > 0);
  const bothUnacceptable = agg.result.ok && agg.result.ties === "both_unacceptable";
  if (policy.safetyPairs && countedEnough && !bothUnacceptable) {
    for (let s = 0; s < k; s++) {
      if (unsafe[s] != null) continue;
      for (let u = 0; u < k; u++) {
        if (unsafe[u] == null || emitted.has(`${s}>${u}`)) continue;
        if (sameReply(candidates[s], candidates[u])) continue;
        keepPair(kept, emitted, safetyPairOf(agg, maxStrength, s, u));
      }
    }
  }

  // 3. Format the rows of the policy's kind.
  const rows: (DpoRow | RmRow | KtoRow)[] = [];
  if (policy.kind === "kto") {
    const labels = new Map<number, { label: boolean; pair: PairMeta }>();
    for (const p of kept) {
      if (p.source !== "safety") setKtoLabel(labels, p.chosen, true, p);
      setKtoLabel(labels, p.rejected, false, p);
    }
    if (bothUnacceptable) {
      for (let i = 0; i < k; i++) {
        setKtoLabel(labels, i, false, { strength: 0, level: "both_unacceptable", agreement: tieAgreement, source: kindSource });
      }
    }
    if (countedEnough) {
      for (let i = 0; i < k; i++) {
        if (unsafe[i] != null)
          setKtoLabel(labels, i, false, { strength: maxStrength, level: "safety", agreement: agg.unsafeShare[i] ?? 0, source: "safety" });
      }
    }
    for (let i = 0; i < k; i++) {
      const entry = labels.get(i);
      if (!entry) continue;
      rows.push(ktoRowOf(ctx, i, entry.label, entry.pair));
    }
  } else {
    for (const p of kept) {
      const row = pairRowOf(ctx, p);
      if (policy.kind === "rm") (row as RmRow).margin = marginFor(p.strength, p.maxStrength, policy.marginScale);
      rows.push(row);
    }
  }

  // 4. Ties rows.
  const ties: TieRow[] = [];
  if (tieOutcome) {
    for (const group of tieGroups) {
      const isWhole = group.length === k;
      const agreement =
        tieOutcome === "both_unacceptable" || (task.kind === "pairwise" && isWhole) ? tieAgreement : rankTieAgreement(agg, group);
      const id =
        tieOutcome === "both_unacceptable"
          ? `${task.taskId}/unacceptable`
          : `${task.taskId}/${group.map((i) => candidateIdOf(ctx, i)).join("=")}`;
      ties.push(tieRowOf(ctx, id, group, tieOutcome, agreement, kindSource));
    }
  }

  return {
    taskId: task.taskId,
    itemId: task.item.externalId,
    split,
    rows,
    ties,
    taskDrop,
    pairDrops: drops,
    greetingFolded: prompt.greetingFolded,
    language,
    aggregate: agg,
    judgments: agg.tally,
  };
}
