/**
 * Live session → per-turn training rows, in the same TRL formats as the static exports.
 *
 * Rules (also in docs/export-format.md, "Live projects"):
 * - Each judged turn is one task: prompt = the persona system message (scene and the
 *   user's role in it) + the conversation as it was up to the turn's user message
 *   (the greeting folded into the system message as in static items); the candidates are
 *   the replies its slots show, in label order (A first). Its one judgment goes through
 *   the project's existing aggregation and pair policy, so a ranking gives the same pairs
 *   as a static K-wise task and a pairwise answer the same row as a static pair.
 * - Swipes: every reply a slot held before a regenerate is a rejected sibling: a pair
 *   (the turn's winner over it, `pair_source: "swipe"`, level `swiped`) when the turn has
 *   a winner that is not flagged unsafe; a KTO `label: false` row in any judged turn.
 * - Edits: the edited reply gives an SFT row, and a pair (edit over the reply it rewrote,
 *   `pair_source: "edit"`, level `edited`); a reply written after "all unacceptable" gives
 *   an SFT row and a pair over every reply shown. Edit pairs (and their KTO rows) are
 *   left out with `editPairs: false`; SFT rows are always written (to sft.jsonl).
 * - Swipe and edit pairs carry strength 1 (the smallest preference: nobody weighed them
 *   against each other on the scale), so their reward-model margin is the scale's smallest.
 * - A whole session is in one split: the key is the character and the first user message
 *   of the session's first turn (the static rule applied to the session), whatever branch
 *   a turn is on.
 */
import {
  assignSplit,
  buildPrompt,
  buildTaskRows,
  conversationKey,
  detectLanguage,
  marginFor,
  promptId,
  renderPromptText,
  type ChatMessage,
  type CompletionField,
  type DpoRow,
  type ExportItem,
  type ExportPolicy,
  type ExportTask,
  type KtoRow,
  type PairSource,
  type PromptField,
  type RmRow,
  type RowMeta,
  type Split,
  type StrengthLevel,
  type TaskRows,
} from "@/lib/domain/export";
import { scaleMax, type ScalePoints, type UnsafeCategory } from "@/lib/domain/preference";
import { indexNodes, turnContext, winningSlot, type LiveNode, type LiveTree, type LiveTurn } from "@/lib/domain/live/tree";

/** What the rows of one session need besides its tree. */
export interface LiveSessionExport {
  readonly sessionId: string;
  readonly character: { readonly name: string; readonly profile: Readonly<Record<string, unknown>> };
  readonly scene?: string | null;
  /** A short description of who the user plays. */
  readonly userRole?: string | null;
  readonly language?: string | null;
  readonly scalePoints: ScalePoints;
  readonly tree: LiveTree;
}

/** Options of live exports beyond the static policy. */
export interface LiveRowOptions {
  /** Emit edit-over-original pairs (and the edit's KTO row); SFT rows are written regardless. */
  readonly editPairs: boolean;
  /** Emit chosen-over-swiped pairs (and the swiped replies' KTO rows). */
  readonly swipePairs: boolean;
}

export const DEFAULT_LIVE_ROW_OPTIONS: LiveRowOptions = { editPairs: true, swipePairs: true };

/** An SFT row: TRL's conversational `messages` (or prompt/completion strings in the standard format). */
export interface SftRow {
  messages?: ChatMessage[];
  prompt?: string;
  completion?: string;
  id: string;
  prompt_id: string;
  item_id: string;
  character: string;
  model: string;
  pair_source: "edit";
  language: string;
}

/** Everything one live turn contributes. */
export interface LiveTurnRows extends TaskRows {
  readonly sft: SftRow[];
}

/** The scene text of a live prompt: the project's scene, then who the user plays. */
export function liveScene(scene: string | null | undefined, userRole: string | null | undefined, language: string): string | null {
  const parts: string[] = [];
  if (scene && scene.trim() !== "") parts.push(scene);
  if (userRole && userRole.trim() !== "") parts.push(`${/^zh\b/i.test(language) ? "用户扮演：" : "The user plays: "}${userRole}`);
  return parts.length > 0 ? parts.join("\n\n") : null;
}

/** The language of a session: recorded, or detected from its character and greeting. */
export function sessionLanguage(session: Pick<LiveSessionExport, "language" | "character" | "tree">, fallback?: string): string {
  if (session.language && session.language.trim() !== "") return session.language.trim();
  if (fallback) return fallback;
  const greeting = session.tree.nodes.find((n) => n.kind === "greeting")?.text ?? "";
  return detectLanguage(`${session.character.name}\n${greeting}`);
}

/** The item of a turn as the static builders see it (external id `s<session>/t<turn>`). */
export function liveTurnItem(
  session: LiveSessionExport,
  byId: ReadonlyMap<string, LiveNode>,
  turn: LiveTurn,
  language: string,
): ExportItem {
  return {
    externalId: `s${session.sessionId}/t${turn.id}`,
    character: session.character,
    scene: liveScene(session.scene, session.userRole, language),
    context: turnContext(byId, turn),
    language,
  };
}

function modelOfNode(node: LiveNode | undefined): string {
  if (!node) return "";
  if (node.author.kind === "endpoint") return node.author.model;
  return node.author.kind === "user" ? "human" : "character";
}

/** A judged turn as a static task with one judgment (null when unjudged or a slot is empty). */
export function liveTurnTask(
  session: LiveSessionExport,
  byId: ReadonlyMap<string, LiveNode>,
  turn: LiveTurn,
  language: string,
): ExportTask | null {
  const j = turn.judgment;
  if (!j) return null;
  const candidates = [];
  for (const slot of turn.slots) {
    const node = slot.nodeId ? byId.get(slot.nodeId) : undefined;
    if (!node) return null;
    candidates.push({ id: node.id, model: modelOfNode(node), content: node.text });
  }
  const unsafe: Partial<Record<number, UnsafeCategory>> = {};
  for (const [slot, category] of Object.entries(j.unsafe)) unsafe[Number(slot)] = category as UnsafeCategory;
  return {
    taskId: `live-${turn.id}`,
    itemId: `s${session.sessionId}/t${turn.id}`,
    kind: candidates.length === 2 ? "pairwise" : "ranking",
    scalePoints: session.scalePoints,
    candidates,
    item: liveTurnItem(session, byId, turn, language),
    judgments: [
      {
        annotatorKey: j.annotatorKey,
        strength: j.strength ?? null,
        ranks: j.ranks ?? null,
        bothUnacceptable: j.bothUnacceptable,
        unsafe,
        state: "valid",
        excluded: false,
      },
    ],
    isGold: false,
  };
}

/** The split of every turn of a session (see the module comment). */
export function sessionSplit(session: LiveSessionExport, policy: Pick<ExportPolicy, "salt" | "testPercent">): Split {
  const byId = indexNodes(session.tree.nodes);
  const first = [...session.tree.turns].sort((a, b) => compareIds(a.id, b.id))[0];
  const firstUser = first ? (byId.get(first.userNodeId)?.text ?? "") : "";
  return assignSplit(conversationKey(session.character.name, firstUser), policy.salt, policy.testPercent);
}

/** Orders database ids (digit strings) numerically, others by code unit. */
export function compareIds(a: string, b: string): number {
  if (/^\d+$/.test(a) && /^\d+$/.test(b)) return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
  return a < b ? -1 : a > b ? 1 : 0;
}

interface ExtraContext {
  readonly turn: LiveTurn;
  readonly item: ExportItem;
  readonly policy: ExportPolicy;
  readonly promptField: PromptField;
  readonly promptMessages: ChatMessage[];
  readonly promptId: string;
  readonly language: string;
  readonly maxStrength: number;
}

function completion(ctx: ExtraContext, text: string): CompletionField {
  return ctx.policy.format === "conversational" ? [{ role: "assistant", content: text }] : text;
}

function meta(ctx: ExtraContext, id: string, source: PairSource, level: StrengthLevel): RowMeta {
  return {
    id,
    prompt_id: ctx.promptId,
    item_id: ctx.item.externalId,
    character: ctx.item.character.name,
    strength: 1,
    strength_level: level,
    n_annotators: 1,
    agreement: 1,
    pair_source: source,
    language: ctx.language,
  };
}

function pairRow(ctx: ExtraContext, chosen: LiveNode, rejected: LiveNode, source: "swipe" | "edit"): DpoRow | RmRow {
  const m = meta(ctx, `live-${ctx.turn.id}/${chosen.id}>${rejected.id}`, source, source === "swipe" ? "swiped" : "edited");
  const row: DpoRow = {
    prompt: ctx.promptField,
    chosen: completion(ctx, chosen.text),
    rejected: completion(ctx, rejected.text),
    ...m,
    chosen_model: modelOfNode(chosen),
    rejected_model: modelOfNode(rejected),
  };
  if (ctx.policy.kind === "rm") (row as RmRow).margin = marginFor(1, ctx.maxStrength, ctx.policy.marginScale);
  return row;
}

function ktoRow(ctx: ExtraContext, node: LiveNode, label: boolean, source: "swipe" | "edit"): KtoRow {
  return {
    prompt: ctx.promptField,
    completion: completion(ctx, node.text),
    label,
    ...meta(ctx, `live-${ctx.turn.id}/${node.id}`, source, source === "swipe" ? "swiped" : "edited"),
    model: modelOfNode(node),
  };
}

function sftRow(ctx: ExtraContext, node: LiveNode): SftRow {
  const base = {
    id: `live-${ctx.turn.id}/${node.id}`,
    prompt_id: ctx.promptId,
    item_id: ctx.item.externalId,
    character: ctx.item.character.name,
    model: modelOfNode(node),
    pair_source: "edit" as const,
    language: ctx.language,
  };
  if (ctx.policy.format === "conversational")
    return { messages: [...ctx.promptMessages, { role: "assistant", content: node.text }], ...base };
  return { prompt: ctx.promptField as string, completion: node.text, ...base };
}

/**
 * Every row one judged turn contributes under `policy` (see the module comment). The
 * split is the session's. Pure: the same session, turn and policy give the same rows.
 */
export function buildLiveTurnRows(
  session: LiveSessionExport,
  turn: LiveTurn,
  policy: ExportPolicy,
  options: LiveRowOptions = DEFAULT_LIVE_ROW_OPTIONS,
  split: Split = sessionSplit(session, policy),
): LiveTurnRows | null {
  const byId = indexNodes(session.tree.nodes);
  const language = sessionLanguage(session, policy.defaultLanguage);
  const task = liveTurnTask(session, byId, turn, language);
  const j = turn.judgment;
  if (!task || !j) return null;
  const base = buildTaskRows(task, policy);
  const prompt = buildPrompt(task.item, language);
  if (!prompt.ok) return { ...base, split: null, sft: [] };
  const ctx: ExtraContext = {
    turn,
    item: task.item,
    policy,
    promptMessages: prompt.messages,
    promptField:
      policy.format === "conversational" ? prompt.messages : renderPromptText(prompt.messages, task.item.character.name, language),
    promptId: promptId(prompt.messages),
    language,
    maxStrength: task.kind === "ranking" ? task.candidates.length - 1 : scaleMax(task.scalePoints),
  };
  const rows = [...base.rows];
  const sft: SftRow[] = [];
  const kto = policy.kind === "kto";
  const winner = winningSlot(j, turn.slots.length);
  const winnerNode = winner !== null ? byId.get(turn.slots[winner]?.nodeId ?? "") : undefined;
  const winnerSafe = winner !== null && j.unsafe[winner] == null;

  if (options.swipePairs) {
    for (const slot of turn.slots) {
      for (const swipedId of slot.swipedNodeIds) {
        const swiped = byId.get(swipedId);
        if (!swiped) continue;
        if (kto) rows.push(ktoRow(ctx, swiped, false, "swipe"));
        else if (winnerNode && winnerSafe && winnerNode.text !== swiped.text) rows.push(pairRow(ctx, winnerNode, swiped, "swipe"));
      }
    }
  }

  const edit = j.editNodeId ? byId.get(j.editNodeId) : undefined;
  if (edit) {
    sft.push(sftRow(ctx, edit));
    if (options.editPairs) {
      const original = edit.editOf ? byId.get(edit.editOf) : undefined;
      const over = original
        ? [original]
        : turn.slots.flatMap((s) => {
            const n = s.nodeId ? byId.get(s.nodeId) : undefined;
            return n ? [n] : [];
          });
      if (kto) rows.push(ktoRow(ctx, edit, true, "edit"));
      else for (const rejected of over) if (rejected.text !== edit.text) rows.push(pairRow(ctx, edit, rejected, "edit"));
    }
  }
  return { ...base, rows, split, sft };
}

/** Rows of every judged turn of a session, turns in id order. */
export function buildLiveSessionRows(
  session: LiveSessionExport,
  policy: ExportPolicy,
  options: LiveRowOptions = DEFAULT_LIVE_ROW_OPTIONS,
): LiveTurnRows[] {
  const split = sessionSplit(session, policy);
  const out: LiveTurnRows[] = [];
  for (const turn of [...session.tree.turns].sort((a, b) => compareIds(a.id, b.id))) {
    const rows = buildLiveTurnRows(session, turn, policy, options, split);
    if (rows) out.push(rows);
  }
  return out;
}
