/**
 * The conversation tree of a live role-play session, as plain data.
 *
 * Shape (every node has one parent; the greeting is the root):
 *
 *   greeting (assistant)
 *   └─ user turn 1 (user)
 *      ├─ candidate A (assistant)  ← chosen: the next user node hangs below it
 *      │  └─ user turn 2 …
 *      ├─ candidate B (assistant)
 *      ├─ candidate B, swiped (assistant, replaced by a regenerate of slot B)
 *      └─ edit of A (assistant, `editOf` = A) ← when the annotator edits the winner,
 *                                               the conversation continues below the edit
 *
 * A branch is a user node whose parent is an earlier continuation (the greeting, a chosen
 * reply or an edit) rather than the latest one. Nodes are append-only: nothing here
 * mutates a node, a turn only gains its judgment.
 */

/** Who wrote a node: the annotator playing the user, or an endpoint (with its generation record). */
export type LiveAuthor =
  | { readonly kind: "user"; readonly userKey: string }
  | { readonly kind: "character" }
  | {
      readonly kind: "endpoint";
      readonly endpoint: string;
      readonly model: string;
      readonly params?: Readonly<Record<string, unknown>>;
      readonly seed?: number | null;
    };

export type LiveNodeKind = "greeting" | "user" | "candidate" | "edit";

export interface LiveNode {
  readonly id: string;
  readonly parentId: string | null;
  readonly kind: LiveNodeKind;
  readonly role: "user" | "assistant";
  readonly text: string;
  /** The turn a user, candidate or edit node belongs to (null for the greeting). */
  readonly turnId: string | null;
  /** For an edit: the candidate it rewrites. */
  readonly editOf?: string | null;
  readonly author: LiveAuthor;
}

/** One slot of a turn: the label shown and the replies it held, the current one last. */
export interface LiveSlot {
  /** "A", "B", "C", "D": slot j shows label j. */
  readonly label: string;
  /** The completed reply the slot shows now; null while it streams or after a failure. */
  readonly nodeId: string | null;
  /** Earlier replies of the slot, replaced by a regenerate ("swipe"), oldest first. */
  readonly swipedNodeIds: readonly string[];
}

/** The annotator's answer to a turn, in label terms (slot 0 = "A", the canonical order). */
export interface LiveJudgment {
  /** Pairwise (N = 2): negative prefers A, positive B, 0 tie. */
  readonly strength?: number | null;
  /** N > 2: ranks[j] = rank of slot j, 1 = best. */
  readonly ranks?: readonly number[] | null;
  readonly bothUnacceptable: boolean;
  /** Slot index → unsafe category. */
  readonly unsafe: Readonly<Record<number, string>>;
  /** The continuation: the winning candidate, or null when no reply won (tie, both unacceptable). */
  readonly chosenNodeId: string | null;
  /** The edit of the winner the conversation continues with, if the annotator edited it. */
  readonly editNodeId: string | null;
  readonly annotatorKey: string;
}

export interface LiveTurn {
  readonly id: string;
  /** 1-based position of the turn on its branch (1 = answers the first user message). */
  readonly index: number;
  readonly userNodeId: string;
  readonly slots: readonly LiveSlot[];
  readonly judgment: LiveJudgment | null;
}

export interface LiveTree {
  readonly sessionId: string;
  readonly nodes: readonly LiveNode[];
  readonly turns: readonly LiveTurn[];
}

/** Slot labels in order; N is at most four. */
export const SLOT_LABELS = ["A", "B", "C", "D"] as const;
export type SlotLabel = (typeof SLOT_LABELS)[number];

/** The label of slot `j` (0 → "A"). */
export function labelOf(j: number): SlotLabel {
  const label = SLOT_LABELS[j];
  if (label === undefined) throw new RangeError(`slot ${j} has no label (at most ${SLOT_LABELS.length} candidates)`);
  return label;
}

/** The slot of a label ("B" → 1), or -1. */
export function slotOf(label: string): number {
  return (SLOT_LABELS as readonly string[]).indexOf(label.toUpperCase());
}

/** A node lookup by id. */
export function indexNodes(nodes: readonly LiveNode[]): Map<string, LiveNode> {
  return new Map(nodes.map((n) => [n.id, n]));
}

/**
 * The nodes from the root to `nodeId`, root first. Throws when the id is unknown or the
 * parent links do not end at a root (a cycle or a dangling parent: the database forbids both).
 */
export function pathTo(byId: ReadonlyMap<string, LiveNode>, nodeId: string): LiveNode[] {
  const out: LiveNode[] = [];
  let cur = byId.get(nodeId);
  if (!cur) throw new Error(`node ${nodeId} is not in the tree`);
  const seen = new Set<string>();
  while (cur) {
    if (seen.has(cur.id)) throw new Error(`node ${cur.id} is its own ancestor`);
    seen.add(cur.id);
    out.push(cur);
    if (cur.parentId === null) break;
    const parent = byId.get(cur.parentId);
    if (!parent) throw new Error(`node ${cur.id} has a parent ${cur.parentId} outside the tree`);
    cur = parent;
  }
  return out.reverse();
}

/** A chat message of the conversation (the character speaks as `assistant`). */
export interface LiveMessage {
  readonly role: "user" | "assistant";
  readonly content: string;
}

/** The conversation along a path: every node as a message (the greeting first, as the character's turn). */
export function messagesOf(path: readonly LiveNode[]): LiveMessage[] {
  return path.map((n) => ({ role: n.role, content: n.text }));
}

/**
 * Whether `node` may be the parent of a new user turn: the greeting, or the continuation a
 * judged turn chose (its winner, or its edit when the winner was edited).
 */
export function isContinuation(node: LiveNode, turns: readonly LiveTurn[]): boolean {
  if (node.kind === "greeting") return true;
  if (node.turnId === null) return false;
  const turn = turns.find((t) => t.id === node.turnId);
  const j = turn?.judgment;
  if (!j) return false;
  return (j.editNodeId ?? j.chosenNodeId) === node.id;
}

/**
 * The context a new user turn is answered in: the conversation up to `parentId` (a
 * continuation, see {@link isContinuation}) followed by the user's text. Returns the
 * messages and the new turn's index on its branch.
 */
export function contextForTurn(
  tree: Pick<LiveTree, "nodes" | "turns">,
  parentId: string,
  userText: string,
): { messages: LiveMessage[]; index: number } {
  const byId = indexNodes(tree.nodes);
  const parent = byId.get(parentId);
  if (!parent) throw new Error(`node ${parentId} is not in the tree`);
  if (!isContinuation(parent, tree.turns)) throw new Error(`node ${parentId} is not a chosen reply or the greeting`);
  const path = pathTo(byId, parentId);
  const index = path.filter((n) => n.kind === "user").length + 1;
  return { messages: [...messagesOf(path), { role: "user", content: userText }], index };
}

/**
 * The conversation a turn answers: the path to its user node (greeting first, the turn's
 * user message last).
 */
export function turnContext(byId: ReadonlyMap<string, LiveNode>, turn: LiveTurn): LiveMessage[] {
  return messagesOf(pathTo(byId, turn.userNodeId));
}

/** Whether a turn is the first of its branch: its user message follows the greeting directly. */
export function isFirstTurnOfBranch(byId: ReadonlyMap<string, LiveNode>, turn: LiveTurn): boolean {
  const user = byId.get(turn.userNodeId);
  const parent = user?.parentId ? byId.get(user.parentId) : undefined;
  return parent?.kind === "greeting";
}

/**
 * The index of the winning slot of a judgment in label terms: pairwise the side the
 * strength leans to; a ranking the single best-ranked slot. Null for a tie, a shared
 * first rank or "both unacceptable" (no reply continues on its own merit).
 */
export function winningSlot(judgment: Pick<LiveJudgment, "strength" | "ranks" | "bothUnacceptable">, slots: number): number | null {
  if (judgment.bothUnacceptable) return null;
  if (slots === 2 && judgment.strength != null) {
    if (judgment.strength === 0) return null;
    return judgment.strength < 0 ? 0 : 1;
  }
  const ranks = judgment.ranks;
  if (!ranks || ranks.length !== slots) return null;
  const best = Math.min(...ranks);
  const winners = ranks.flatMap((r, j) => (r === best ? [j] : []));
  return winners.length === 1 ? (winners[0] ?? null) : null;
}

/**
 * The slot whose reply continues the conversation: the winner; in a tie (or a shared
 * first rank) the first tied slot in label order — labels are assigned at random, so this
 * favours no endpoint. Null for "both unacceptable": the annotator then writes the reply.
 */
export function continuationSlot(judgment: Pick<LiveJudgment, "strength" | "ranks" | "bothUnacceptable">, slots: number): number | null {
  if (judgment.bothUnacceptable) return null;
  const winner = winningSlot(judgment, slots);
  if (winner !== null) return winner;
  if (slots === 2 && judgment.strength != null) return 0;
  const ranks = judgment.ranks;
  if (!ranks || ranks.length !== slots) return null;
  return ranks.indexOf(Math.min(...ranks));
}
