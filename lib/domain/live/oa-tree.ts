/**
 * A session as one line of Open-Assistant-style nested JSONL: the greeting is the root
 * message, every message carries its `replies`, and each candidate its rank, the blind
 * label it was shown under and its author. Keys are written in a fixed order, every key
 * on every message (null when it does not apply), replies in node-id (creation) order,
 * so the same session always gives the same bytes.
 *
 * Message fields: `message_id`, `parent_id`, `role` ("prompter" | "assistant", as
 * Open-Assistant), `kind` (greeting | user | candidate | edit), `text`, `lang`, `turn`
 * (the turn's index on its branch), `label` (A–D, candidates), `rank` (0 = best among the
 * turn's compared replies, as Open-Assistant; ties share a rank; null for unjudged turns,
 * swiped replies and edits), `chosen` (the reply the conversation continued with),
 * `swiped` (replaced by a regenerate), `edit_of`, `synthetic` (model-written),
 * `model_name`, `author` (`{kind: "user", user}` with a pseudonym,
 * `{kind: "endpoint", endpoint, model, params, seed}` or `{kind: "character"}`),
 * `judgment` (on user messages whose turn is judged: strength / ranking by label,
 * both_unacceptable, unsafe by label), `replies`.
 */
import { compareIds } from "@/lib/domain/live/rows";
import { winningSlot, type LiveNode, type LiveTree, type LiveTurn } from "@/lib/domain/live/tree";

export interface OaSessionMeta {
  readonly sessionId: string;
  readonly project: string;
  readonly character: string;
  readonly scene: string | null;
  readonly userRole: string | null;
  readonly language: string;
  readonly state: "active" | "ended";
  /** The optional whole-session rating (1–5). */
  readonly rating: number | null;
  readonly ratingNote?: string | null;
}

/** Rank of each slot (0 = best) from a judgment; ties share a rank; null when unjudged or all unacceptable. */
export function slotRanks(turn: LiveTurn): (number | null)[] {
  const j = turn.judgment;
  const k = turn.slots.length;
  if (!j || j.bothUnacceptable) return turn.slots.map(() => null);
  if (k === 2 && j.strength != null) {
    if (j.strength === 0) return [0, 0];
    return j.strength < 0 ? [0, 1] : [1, 0];
  }
  if (j.ranks && j.ranks.length === k) {
    // Competition ranking: 0 for the best, then the number of slots ranked strictly better.
    return j.ranks.map((r) => j.ranks!.filter((o) => o < r).length);
  }
  return turn.slots.map(() => null);
}

function authorOf(node: LiveNode): Record<string, unknown> {
  const a = node.author;
  if (a.kind === "user") return { kind: "user", user: a.userKey };
  if (a.kind === "character") return { kind: "character" };
  return { kind: "endpoint", endpoint: a.endpoint, model: a.model, params: a.params ?? {}, seed: a.seed ?? null };
}

/** The session's tree as one nested object (see the module comment). */
export function sessionToOaTree(meta: OaSessionMeta, tree: LiveTree): Record<string, unknown> {
  const children = new Map<string, LiveNode[]>();
  let root: LiveNode | undefined;
  for (const n of tree.nodes) {
    if (n.parentId === null) root = n;
    else {
      const list = children.get(n.parentId) ?? [];
      list.push(n);
      children.set(n.parentId, list);
    }
  }
  const turnById = new Map(tree.turns.map((t) => [t.id, t]));
  // Per candidate node: label, rank, swiped; per turn: chosen continuation and judgment.
  const slotInfo = new Map<string, { label: string; rank: number | null; swiped: boolean }>();
  const chosen = new Set<string>();
  for (const turn of tree.turns) {
    const ranks = slotRanks(turn);
    turn.slots.forEach((slot, j) => {
      if (slot.nodeId) slotInfo.set(slot.nodeId, { label: slot.label, rank: ranks[j] ?? null, swiped: false });
      for (const s of slot.swipedNodeIds) slotInfo.set(s, { label: slot.label, rank: null, swiped: true });
    });
    const jd = turn.judgment;
    if (jd) {
      const c = jd.editNodeId ?? jd.chosenNodeId;
      if (c) chosen.add(c);
    }
  }
  const turnIndexOf = (n: LiveNode): number | null => (n.turnId ? (turnById.get(n.turnId)?.index ?? null) : null);

  const judgmentOf = (turn: LiveTurn | undefined): Record<string, unknown> | null => {
    const j = turn?.judgment;
    if (!turn || !j) return null;
    const byLabel = <T>(values: readonly T[]) => Object.fromEntries(turn.slots.map((s, i) => [s.label, values[i]]));
    const winner = winningSlot(j, turn.slots.length);
    return {
      strength: j.strength ?? null,
      ranking: j.ranks ? byLabel(j.ranks) : null,
      both_unacceptable: j.bothUnacceptable,
      winner: winner === null ? null : (turn.slots[winner]?.label ?? null),
      unsafe: Object.fromEntries(
        Object.entries(j.unsafe)
          .map(([slot, category]) => [turn.slots[Number(slot)]?.label ?? slot, category] as const)
          .sort(([a], [b]) => (a < b ? -1 : 1)),
      ),
    };
  };

  const render = (n: LiveNode): Record<string, unknown> => {
    const info = slotInfo.get(n.id);
    const kids = (children.get(n.id) ?? []).slice().sort((a, b) => compareIds(a.id, b.id));
    return {
      message_id: n.id,
      parent_id: n.parentId,
      role: n.role === "user" ? "prompter" : "assistant",
      kind: n.kind,
      text: n.text,
      lang: meta.language,
      turn: turnIndexOf(n),
      label: info?.label ?? null,
      rank: info?.rank ?? null,
      chosen: chosen.has(n.id),
      swiped: info?.swiped ?? false,
      edit_of: n.editOf ?? null,
      synthetic: n.author.kind === "endpoint",
      model_name: n.author.kind === "endpoint" ? n.author.model : null,
      author: authorOf(n),
      judgment: n.kind === "user" && n.turnId ? judgmentOf(turnById.get(n.turnId)) : null,
      replies: kids.map(render),
    };
  };

  return {
    message_tree_id: meta.sessionId,
    project: meta.project,
    character: meta.character,
    scene: meta.scene,
    user_role: meta.userRole,
    lang: meta.language,
    tree_state: meta.state === "ended" ? "ready_for_export" : "growing",
    session_rating: meta.rating,
    session_rating_note: meta.ratingNote ?? null,
    turns: tree.turns.length,
    prompt: root ? render(root) : null,
  };
}

/** One JSONL line (no newline) of the session tree; non-ASCII text written as is. */
export function oaTreeLine(meta: OaSessionMeta, tree: LiveTree): string {
  return JSON.stringify(sessionToOaTree(meta, tree));
}
