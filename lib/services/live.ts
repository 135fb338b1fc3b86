/**
 * The verbs of live role-play sessions: start a session, add a user turn (continuing the
 * current branch or branching from an earlier reply), judge a turn (optionally editing the
 * winner), ask for a slot to be regenerated, read the tree, end the session.
 *
 * Generation itself runs in the turn's stream (lib/services/live-stream.ts), tied to the
 * request that watches it. Everything here is stored in PostgreSQL as it happens, and the
 * database checks the tree's shape (migration "live_sessions_invariants"), so any app
 * instance can serve any request of a session, and a reload or a restart loses nothing.
 */
import { randomInt } from "node:crypto";
import {
  endSessionRow,
  getCharactersByIds,
  getProjectWithMembership,
  getSessionContext,
  getSessionProjectSlug,
  getTurn,
  insertJudgment,
  insertNode,
  insertRegeneration,
  insertSession,
  insertTurn,
  listLiveComparisons,
  listSessionsOfAnnotator,
  loadSessionWithRecords,
  listTurnNodes,
  loadTurnRecords,
  lockSession,
  lockTurn,
} from "@/db/queries/live";
import type { Character, LiveJudgmentRow, LiveNodeRow, LiveSession, LiveTurnRow, Project } from "@/db/schema";
import { can } from "@/lib/auth/permissions";
import { validateAnswer, type DisplayAnswer } from "@/lib/domain/answer";
import type { RandomSource } from "@/lib/domain/assignment";
import { detectLanguage } from "@/lib/domain/export/prompt";
import {
  continuationSlot,
  isContinuation,
  labelOf,
  liveSamplingVotes,
  planSlots,
  slotOf,
  type LiveTree,
  type LiveNode,
  type LiveTurn,
} from "@/lib/domain/live";
import type { ScalePoints } from "@/lib/domain/preference";
import { buildSamplingModel, type SamplingModel } from "@/lib/domain/stats/active-sampling";
import { createRng } from "@/lib/domain/stats/rng";
import { AppError, conflictError, forbiddenError, notFoundError, postgresErrorOf, validationError } from "@/lib/errors";
import { IdParam } from "@/lib/validation/judgment";
import {
  CreateTurnInput,
  EditedText,
  EndSessionInput,
  LabelParam,
  StartSessionInput,
  TurnJudgmentAnswer,
  splitTurnJudgmentBody,
} from "@/lib/validation/live";
import { parseInput } from "@/lib/validation/parse";
import { defaultProjectSettings, type LiveSettings, type ProjectSettings } from "@/lib/validation/project-settings";
import type { ServiceContext } from "./context";

// ---------------------------------------------------------------------------------------
// Payloads

export type SessionStarted = { session: { id: number; character: string; greeting: string } };
export type TurnCreated = { turn: { id: number; candidates: { label: string }[] } };

/** A node as the session view shows it. Model and endpoint only for staff: the annotator judges blind. */
export type SessionNodeView = {
  id: number;
  parentId: number | null;
  kind: LiveNode["kind"];
  role: "user" | "assistant";
  text: string;
  turnId: number | null;
  /** Candidates: the label of their slot. */
  label: string | null;
  /** Candidates replaced by a regenerate. */
  swiped: boolean;
  /** The reply (or edit) the conversation continued with. */
  chosen: boolean;
  editOf: number | null;
  author?: { endpoint: string | null; model: string | null; finishReason: string | null; ttftMs: number | null; totalMs: number | null };
};

export type SessionTurnView = {
  id: number;
  index: number;
  userNodeId: number;
  judged: boolean;
  slots: { label: string; nodeId: number | null; swipedNodeIds: number[]; pending: boolean }[];
  judgment: {
    strength: number | null;
    ranking: number[] | null;
    both_unacceptable: boolean;
    chosenNodeId: number | null;
    editNodeId: number | null;
  } | null;
};

export type SessionView = {
  session: {
    id: number;
    project: { slug: string; name: string };
    character: { name: string; profile: Character["profile"] };
    scene: string | null;
    userRole: string | null;
    state: LiveSession["state"];
    perTurn: number;
    turnBudget: number;
    turnsUsed: number;
    rating: number | null;
    /** The node a turn without `parentNodeId` follows. */
    headNodeId: number;
    openTurnId: number | null;
    language: string;
  };
  settings: Pick<
    ProjectSettings,
    "dimensions" | "rationale" | "allowRankingTies" | "allowBothUnacceptable" | "safetyFlags" | "scalePoints"
  >;
  nodes: SessionNodeView[];
  turns: SessionTurnView[];
};

// ---------------------------------------------------------------------------------------
// Start

/** Profile keys that hold a character's opening line (card imports use `first_mes`). */
const GREETING_KEYS = ["greeting", "first_mes", "first message", "first_message", "opening", "开场白", "问候语", "问候"];

/** The character's greeting: from the profile, or a plain self-introduction in the character's language. */
export function greetingOf(character: Pick<Character, "name" | "profile">): string {
  const profile = character.profile as Record<string, unknown>;
  for (const key of Object.keys(profile)) {
    const value = profile[key];
    if (GREETING_KEYS.includes(key.toLowerCase().trim()) && typeof value === "string" && value.trim() !== "") return value;
  }
  return detectLanguage(character.name) === "zh" ? `你好，我是${character.name}。` : `Hello, I am ${character.name}.`;
}

/**
 * Starts a session in a live project: draws a character from the project's pool
 * (uniformly), stores the session with the settings that shape it and the greeting.
 * The actor must be an active member of the active live project.
 */
export async function startLiveSession(
  ctx: ServiceContext,
  input: unknown,
  random: RandomSource = Math.random,
  /** The seed of the session's slot plans and reply seeds; fixed only where a session must be reproducible (the demo seed). */
  seed: number = randomInt(0, 2 ** 47),
): Promise<SessionStarted> {
  if (!can(ctx.actor.role, "task.annotate")) throw forbiddenError();
  const { projectSlug } = parseInput(StartSessionInput, input);
  const found = await getProjectWithMembership(ctx.db, projectSlug, ctx.actor.id);
  if (!found) throw notFoundError("The project");
  const { project, memberStatus } = found;
  const live = liveSettingsOf(project);
  assertMayRun(project, memberStatus);
  const pool = await getCharactersByIds(ctx.db, live.characterIds);
  if (pool.length === 0) throw conflictError("This live project has no characters left; ask a researcher.");
  const byId = [...pool].sort((a, b) => a.id - b.id);
  const character = byId[Math.min(byId.length - 1, Math.floor(random() * byId.length))]!;
  const greeting = greetingOf(character);
  const session = await ctx.db.transaction(async (tx) => {
    const s = await insertSession(tx, {
      projectId: project.id,
      annotatorId: ctx.actor.id,
      characterId: character.id,
      scene: live.scene ?? null,
      userRole: live.userRole ?? null,
      perTurn: live.perTurn,
      turnBudget: live.turnBudget,
      seed,
    });
    await insertNode(tx, { sessionId: s.id, kind: "greeting", text: greeting });
    return s;
  });
  return { session: { id: session.id, character: character.name, greeting } };
}

// ---------------------------------------------------------------------------------------
// Turns

/**
 * Adds a user turn and plans its slots: N endpoints chosen by the project's policy and
 * shuffled onto the labels A, B, … (seeded by the session, so a session's plans are
 * reproducible). Without `parentNodeId` the turn follows the current branch (the reply
 * the latest judged turn continued with, or the greeting); with it, the turn branches
 * from that node, which must be the greeting or a chosen reply of this session.
 * Refused while another turn of the session is open, after the turn budget, or once the
 * session has ended.
 */
export async function createLiveTurn(ctx: ServiceContext, params: { sessionId: unknown; input: unknown }): Promise<TurnCreated> {
  const sessionId = parseId(params.sessionId, "The session");
  const input = parseInput(CreateTurnInput, params.input);
  const c = await ownSession(ctx, sessionId);
  const live = liveSettingsOf(c.project);
  assertMayRun(c.project, c.memberStatus);
  const pool = live.endpointIds.map(String);
  const policy = settingsOf(c.project.settings).pairSampling === "active" ? "active" : live.selection;
  const model = policy === "active" ? await liveSamplingModel(ctx, c.project.id, pool) : null;
  try {
    return await ctx.db.transaction(async (tx) => {
      const session = (await lockSession(tx, sessionId))!;
      if (session.state === "ended") throw conflictError("This session has ended.");
      // One read of the session's records (under the session's lock) answers every check below.
      const { records } = (await loadSessionWithRecords(tx, sessionId))!;
      const open = records.turns.find((t) => !t.judged);
      if (open) throw conflictError(`Turn ${open.id} is still open: judge it before writing the next message.`);
      const used = records.turns.length;
      if (used >= session.turnBudget) throw conflictError(`This session has used its ${session.turnBudget} turns; end it.`);
      const tree = toLiveTree(session, records);
      const greeting = records.nodes.find((n) => n.kind === "greeting")!;
      const parentId = input.parentNodeId ?? headOf(records.judgments, greeting.id);
      const parent = records.nodes.find((n) => n.id === parentId);
      if (!parent)
        throw new AppError("VALIDATION", "parentNodeId: is not a node of this session", {
          parentNodeId: ["is not a node of this session"],
        });
      const domainParent = tree.nodes.find((n) => n.id === String(parentId))!;
      if (!isContinuation(domainParent, tree.turns)) {
        throw new AppError("VALIDATION", "parentNodeId: must be the greeting or a reply the conversation continued with", {
          parentNodeId: ["must be the greeting or a reply the conversation continued with"],
        });
      }
      const depth = depthOf(records.nodes, parentId) + 1;
      const rng = createRng(session.seed + 7_919 * (used + 1));
      const plan = planSlots(pool, session.perTurn, policy, () => rng.next(), model);
      const turn = await insertTurn(tx, {
        sessionId,
        turnIndex: depth,
        labels: plan.map((p) => p.label),
        slotEndpointIds: plan.map((p) => Number(p.endpoint)),
      });
      await insertNode(tx, { sessionId, parentId, turnId: turn.id, kind: "user", text: input.text, authorId: ctx.actor.id });
      return { turn: { id: turn.id, candidates: plan.map((p) => ({ label: p.label })) } };
    });
  } catch (error) {
    throw constraintToConflict(error);
  }
}

/**
 * Asks for a new reply in one slot of an open turn ("swipe"): the current reply stays in
 * the tree as a rejected sibling; the turn's next stream generates the replacement. A slot
 * with no reply yet (one that failed) needs no request: the next stream retries it.
 */
export async function regenerateLiveCandidate(
  ctx: ServiceContext,
  params: { sessionId: unknown; turnId: unknown; label: unknown },
): Promise<{ label: string; replacing: number | null }> {
  const sessionId = parseId(params.sessionId, "The session");
  const turnId = parseId(params.turnId, "The turn");
  const label = parseInput(LabelParam, params.label);
  const c = await ownSession(ctx, sessionId);
  assertMayRun(c.project, c.memberStatus);
  if (c.session.state === "ended") throw conflictError("This session has ended.");
  const turn = await getTurn(ctx.db, sessionId, turnId);
  if (!turn) throw notFoundError("The turn");
  if (turn.judged) throw conflictError("This turn is already judged; its replies can no longer change.");
  const slot = slotOf(label);
  if (slot < 0 || slot >= turn.labels.length)
    throw new AppError("VALIDATION", `label: this turn has no reply ${label}`, { label: [`this turn has no reply ${label}`] });
  const current = currentOfSlot(await listTurnNodes(ctx.db, turnId), slot);
  if (current) await insertRegeneration(ctx.db, { sessionId, turnId, replacesNodeId: current.id });
  return { label, replacing: current?.id ?? null };
}

/**
 * Judges an open turn. The body is the static judgment body (docs/api.md) with slot j =
 * label j, plus `editedText`. The continuation is the winner (in a tie, or a shared first
 * rank, the first tied label); with `editedText` the edit continues instead, and both the
 * original and the edit are kept. After "all unacceptable" `editedText` is required: the
 * annotator writes the reply the character should have given. A repeated submit of a
 * judged turn answers with the stored continuation.
 */
export async function judgeLiveTurn(
  ctx: ServiceContext,
  params: { sessionId: unknown; turnId: unknown; input: unknown },
): Promise<{ chosenNodeId: number; replayed: boolean }> {
  const sessionId = parseId(params.sessionId, "The session");
  const turnId = parseId(params.turnId, "The turn");
  const body = splitTurnJudgmentBody(params.input);
  const input = parseInput(TurnJudgmentAnswer, body.answer);
  const editedText = body.editedText === undefined ? undefined : parseInput(EditedText, body.editedText);
  const c = await ownSession(ctx, sessionId);
  const settings = settingsOf(c.project.settings);
  const existing = await getTurn(ctx.db, sessionId, turnId);
  if (!existing) throw notFoundError("The turn");
  if (existing.judged) {
    const { judgment } = await loadTurnRecords(ctx.db, turnId);
    if (judgment) return { chosenNodeId: (judgment.editNodeId ?? judgment.chosenNodeId)!, replayed: true };
  }
  assertMayRun(c.project, c.memberStatus);
  if (c.session.state === "ended") throw conflictError("This session has ended.");
  const k = existing.labels.length;
  const answer: DisplayAnswer = {
    strength: input.strength,
    ranking: input.ranking,
    bothUnacceptable: input.both_unacceptable,
    ratings: input.ratings,
    unsafe: input.unsafe,
    rationale: input.rationale,
    seconds: input.seconds,
  };
  const issues = validateAnswer(
    answer,
    { kind: k === 2 ? "pairwise" : "ranking", scalePoints: c.project.scalePoints as ScalePoints, candidateCount: k },
    settings,
  );
  if (issues.length) throw validationError(issues);
  const slot = continuationSlot(
    { strength: input.strength ?? null, ranks: input.ranking ?? null, bothUnacceptable: input.both_unacceptable === true },
    k,
  );
  if (slot === null && editedText === undefined) {
    throw new AppError("VALIDATION", "editedText: write the reply the character should give, since no reply is acceptable", {
      editedText: ["write the reply the character should give, since no reply is acceptable"],
    });
  }
  try {
    return await ctx.db.transaction(async (tx) => {
      const turn = (await lockTurn(tx, turnId))!;
      const { nodes, regenerations, judgment } = await loadTurnRecords(tx, turnId);
      if (turn.judged && judgment) return { chosenNodeId: (judgment.editNodeId ?? judgment.chosenNodeId)!, replayed: true };
      const current = turn.labels.map((_, j) => currentOfSlot(nodes, j));
      const missing = current.indexOf(null);
      if (missing >= 0) throw conflictError(`Reply ${labelOf(missing)} has not finished yet.`);
      const pending = current.findIndex((n) => regenerations.some((r) => r.replacesNodeId === n!.id));
      if (pending >= 0) throw conflictError(`Reply ${labelOf(pending)} is being regenerated; judge when it has finished.`);
      const chosen = slot === null ? null : current[slot]!;
      const userNode = nodes.find((n) => n.kind === "user")!;
      let edit: LiveNodeRow | null = null;
      if (editedText !== undefined && editedText !== chosen?.text) {
        edit = await insertNode(tx, {
          sessionId,
          parentId: userNode.id,
          turnId,
          kind: "edit",
          editOf: chosen?.id ?? null,
          text: editedText,
          authorId: ctx.actor.id,
        });
      }
      const stored = await insertJudgment(tx, {
        turnId,
        sessionId,
        annotatorId: ctx.actor.id,
        candidateNodeIds: current.map((n) => n!.id),
        labels: turn.labels,
        strength: input.strength ?? null,
        ranks: input.ranking ?? null,
        bothUnacceptable: input.both_unacceptable === true,
        ratings: input.ratings ?? {},
        unsafe: input.unsafe ?? {},
        rationale: input.rationale ?? null,
        seconds: input.seconds ?? null,
        chosenNodeId: chosen?.id ?? null,
        editNodeId: edit?.id ?? null,
      });
      return { chosenNodeId: (stored.editNodeId ?? stored.chosenNodeId)!, replayed: false };
    });
  } catch (error) {
    throw constraintToConflict(error);
  }
}

/** Ends a session, with an optional whole-session rating. Ending an ended session is refused. */
export async function endLiveSession(ctx: ServiceContext, params: { sessionId: unknown; input: unknown }): Promise<{ state: "ended" }> {
  const sessionId = parseId(params.sessionId, "The session");
  const input = parseInput(EndSessionInput, params.input ?? {});
  const c = await ownSession(ctx, sessionId);
  if (c.session.state === "ended") throw conflictError("This session has already ended.");
  const ended = await endSessionRow(ctx.db, sessionId, input.rating ?? null, input.note ?? null);
  if (!ended) throw conflictError("This session has already ended.");
  return { state: "ended" };
}

/**
 * The session's tree: its annotator sees it blind (labels, never a model); staff with
 * `project.read` also see each reply's endpoint, model and timings.
 */
export async function getLiveSession(ctx: ServiceContext, params: { sessionId: unknown }): Promise<SessionView> {
  const sessionId = parseId(params.sessionId, "The session");
  const found = await loadSessionWithRecords(ctx.db, sessionId);
  if (!found) throw notFoundError("The session");
  const { context: c, records } = found;
  const staff = can(ctx.actor.role, "project.read");
  if (c.session.annotatorId !== ctx.actor.id && !staff) throw notFoundError("The session");
  const settings = settingsOf(c.project.settings);
  return sessionView(c, records, settings, staff);
}

/** The actor's sessions in a live project, newest first, for the session list. */
export async function listMyLiveSessions(ctx: ServiceContext, params: { projectSlug: string }) {
  if (!can(ctx.actor.role, "task.annotate")) throw forbiddenError();
  const found = await getProjectWithMembership(ctx.db, params.projectSlug, ctx.actor.id);
  if (!found) throw notFoundError("The project");
  liveSettingsOf(found.project);
  if (found.memberStatus === null || found.memberStatus === "removed") throw forbiddenError("You are not a member of this project.");
  const sessions = await listSessionsOfAnnotator(ctx.db, found.project.id, ctx.actor.id);
  return { project: { slug: found.project.slug, name: found.project.name, status: found.project.status }, sessions };
}

// ---------------------------------------------------------------------------------------
// Records → views and the domain tree

type SessionRecords = NonNullable<Awaited<ReturnType<typeof loadSessionWithRecords>>>["records"];

/** The current reply of a slot: its newest completed candidate. */
export function currentOfSlot(nodes: readonly LiveNodeRow[], slot: number): LiveNodeRow | null {
  let current: LiveNodeRow | null = null;
  for (const n of nodes) if (n.kind === "candidate" && n.slot === slot && (!current || n.id > current.id)) current = n;
  return current;
}

/** The node a turn without a parent follows: the continuation of the latest judged turn, or the greeting. */
function headOf(judgments: readonly Pick<LiveJudgmentRow, "id" | "chosenNodeId" | "editNodeId">[], greetingId: number): number {
  let latest: (typeof judgments)[number] | null = null;
  for (const j of judgments) if (!latest || j.id > latest.id) latest = j;
  return latest ? (latest.editNodeId ?? latest.chosenNodeId)! : greetingId;
}

/** The number of user messages on the path to `nodeId`. */
function depthOf(nodes: readonly LiveNodeRow[], nodeId: number): number {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  let depth = 0;
  for (let n = byId.get(nodeId); n; n = n.parentId === null ? undefined : byId.get(n.parentId)) if (n.kind === "user") depth++;
  return depth;
}

/** A pseudonym of an annotator for exports (never the id or the email). */
export function annotatorKeyOf(userId: number): string {
  return `annotator-${userId}`;
}

/** The session's records as the pure domain tree. */
export function toLiveTree(session: Pick<LiveSession, "id">, records: Pick<SessionRecords, "nodes" | "turns" | "judgments">): LiveTree {
  const judgmentOf = new Map(records.judgments.map((j) => [j.turnId, j]));
  const nodes: LiveNode[] = records.nodes.map((n) => ({
    id: String(n.id),
    parentId: n.parentId === null ? null : String(n.parentId),
    kind: n.kind,
    role: n.kind === "user" ? "user" : "assistant",
    text: n.text,
    turnId: n.turnId === null ? null : String(n.turnId),
    editOf: n.editOf === null ? null : String(n.editOf),
    author:
      n.kind === "candidate"
        ? { kind: "endpoint", endpoint: n.endpointName ?? "", model: n.model ?? "", params: n.params ?? {}, seed: n.seed }
        : n.kind === "greeting"
          ? { kind: "character" }
          : { kind: "user", userKey: annotatorKeyOf(n.authorId ?? 0) },
  }));
  const turns: LiveTurn[] = records.turns.map((t) => {
    const own = records.nodes.filter((n) => n.turnId === t.id);
    const j = judgmentOf.get(t.id);
    return {
      id: String(t.id),
      index: t.turnIndex,
      userNodeId: String(own.find((n) => n.kind === "user")?.id ?? ""),
      slots: t.labels.map((label, slot) => {
        const replies = own.filter((n) => n.kind === "candidate" && n.slot === slot).sort((a, b) => a.id - b.id);
        const judgedId = j?.candidateNodeIds[slot];
        const current = judgedId ?? replies.at(-1)?.id ?? null;
        return {
          label,
          nodeId: current === null ? null : String(current),
          swipedNodeIds: replies.filter((r) => r.id !== current).map((r) => String(r.id)),
        };
      }),
      judgment: j
        ? {
            strength: j.strength,
            ranks: j.ranks,
            bothUnacceptable: j.bothUnacceptable,
            unsafe: Object.fromEntries(Object.entries(j.unsafe).map(([k, v]) => [Number(k), v])),
            chosenNodeId: j.chosenNodeId === null ? null : String(j.chosenNodeId),
            editNodeId: j.editNodeId === null ? null : String(j.editNodeId),
            annotatorKey: annotatorKeyOf(j.annotatorId),
          }
        : null,
    };
  });
  return { sessionId: String(session.id), nodes, turns };
}

function sessionView(
  c: NonNullable<Awaited<ReturnType<typeof getSessionContext>>>,
  records: SessionRecords,
  settings: ProjectSettings,
  staff: boolean,
): SessionView {
  const greeting = records.nodes.find((n) => n.kind === "greeting")!;
  const chosen = new Set(records.judgments.map((j) => j.editNodeId ?? j.chosenNodeId));
  const slotOfNode = new Map<number, { label: string; swiped: boolean }>();
  const turns: SessionTurnView[] = records.turns.map((t) => {
    const own = records.nodes.filter((n) => n.turnId === t.id);
    const j = records.judgments.find((x) => x.turnId === t.id) ?? null;
    const slots = t.labels.map((label, slot) => {
      const replies = own.filter((n) => n.kind === "candidate" && n.slot === slot);
      const current = j ? (j.candidateNodeIds[slot] ?? null) : (replies.at(-1)?.id ?? null);
      for (const r of replies) slotOfNode.set(r.id, { label, swiped: r.id !== current });
      const pending = !t.judged && (current === null || records.regenerations.some((r) => r.replacesNodeId === current));
      return { label, nodeId: current, swipedNodeIds: replies.filter((r) => r.id !== current).map((r) => r.id), pending };
    });
    return {
      id: t.id,
      index: t.turnIndex,
      userNodeId: own.find((n) => n.kind === "user")?.id ?? 0,
      judged: t.judged,
      slots,
      judgment: j
        ? {
            strength: j.strength,
            ranking: j.ranks,
            both_unacceptable: j.bothUnacceptable,
            chosenNodeId: j.chosenNodeId,
            editNodeId: j.editNodeId,
          }
        : null,
    };
  });
  const nodes: SessionNodeView[] = records.nodes.map((n) => ({
    id: n.id,
    parentId: n.parentId,
    kind: n.kind,
    role: n.kind === "user" ? "user" : "assistant",
    text: n.text,
    turnId: n.turnId,
    label: slotOfNode.get(n.id)?.label ?? null,
    swiped: slotOfNode.get(n.id)?.swiped ?? false,
    chosen: chosen.has(n.id),
    editOf: n.editOf,
    ...(staff && n.kind === "candidate"
      ? { author: { endpoint: n.endpointName, model: n.model, finishReason: n.finishReason, ttftMs: n.ttftMs, totalMs: n.totalMs } }
      : {}),
  }));
  const open = records.turns.find((t) => !t.judged) ?? null;
  return {
    session: {
      id: c.session.id,
      project: { slug: c.project.slug, name: c.project.name },
      character: { name: c.character.name, profile: c.character.profile },
      scene: c.session.scene,
      userRole: c.session.userRole,
      state: c.session.state,
      perTurn: c.session.perTurn,
      turnBudget: c.session.turnBudget,
      turnsUsed: records.turns.length,
      rating: c.session.rating,
      headNodeId: headOf(records.judgments, greeting.id),
      openTurnId: open?.id ?? null,
      language: detectLanguage(`${c.character.name}\n${greeting.text}`),
    },
    settings: {
      dimensions: settings.dimensions,
      rationale: settings.rationale,
      allowRankingTies: settings.allowRankingTies,
      allowBothUnacceptable: settings.allowBothUnacceptable,
      safetyFlags: settings.safetyFlags,
      scalePoints: c.project.scalePoints as ProjectSettings["scalePoints"],
    },
    nodes,
    turns,
  };
}

// ---------------------------------------------------------------------------------------
// Helpers

/** The session, if the actor runs it (anyone else: not found, so ids leak nothing). */
export async function ownSession(ctx: ServiceContext, sessionId: number) {
  if (!can(ctx.actor.role, "task.annotate")) throw forbiddenError();
  const c = await getSessionContext(ctx.db, sessionId);
  if (!c || c.session.annotatorId !== ctx.actor.id) throw notFoundError("The session");
  return c;
}

/** {@link ownSession} and every record of the session, read in one statement (the turn stream's setup). */
export async function ownSessionWithRecords(ctx: ServiceContext, sessionId: number) {
  if (!can(ctx.actor.role, "task.annotate")) throw forbiddenError();
  const found = await loadSessionWithRecords(ctx.db, sessionId);
  if (!found || found.context.session.annotatorId !== ctx.actor.id) throw notFoundError("The session");
  return found;
}

/**
 * The active-sampling model of a live project: its judged first turns of branches (the
 * leaderboard's default basis) as votes between endpoints of the pool. Read before the turn's
 * transaction: a turn judged meanwhile only shifts the weights slightly.
 */
async function liveSamplingModel(ctx: ServiceContext, projectId: number, pool: readonly string[]): Promise<SamplingModel> {
  const rows = await listLiveComparisons(ctx.db, projectId, { firstOfBranchOnly: true });
  const votes = liveSamplingVotes(
    rows.map((r) => ({ endpoints: r.endpoint_ids ?? [], strength: r.strength, ranks: r.ranks, bothUnacceptable: r.both_unacceptable })),
  );
  // Fitted on the endpoints that have votes: one new to the pool takes the largest weight
  // until it has some (namedPairProbabilities), rather than making every draw uniform.
  const inPool = new Set(pool);
  return buildSamplingModel(votes.filter((v) => inPool.has(v.a) && inPool.has(v.b)));
}

/** The live settings of a project, or a conflict when the project is not live. */
export function liveSettingsOf(project: Pick<Project, "kind" | "settings">): LiveSettings {
  const live = project.settings.live;
  if (project.kind !== "live" || !live) throw conflictError("This is not a live project.");
  return live;
}

function assertMayRun(project: Pick<Project, "status" | "name">, memberStatus: string | null): void {
  if (memberStatus === null || memberStatus === "removed") throw forbiddenError("You are not a member of this project.");
  if (memberStatus !== "active") throw forbiddenError("Your work on this project is paused; ask a lead.");
  if (project.status === "paused") throw conflictError(`The project "${project.name}" is paused.`);
  if (project.status === "draft") throw conflictError(`The project "${project.name}" has not started yet.`);
  if (project.status === "archived") throw conflictError(`The project "${project.name}" is archived and takes no more work.`);
}

function settingsOf(stored: ProjectSettings): ProjectSettings {
  return { ...defaultProjectSettings(), ...stored };
}

export function parseId(value: unknown, what: string): number {
  const parsed = IdParam.safeParse(value);
  if (!parsed.success) throw notFoundError(what);
  return parsed.data;
}

/** The database's refusals of a live write (a race lost to another request) as conflicts. */
function constraintToConflict(error: unknown): unknown {
  if (error instanceof AppError) return error;
  const pg = postgresErrorOf(error);
  if (!pg?.code) return error;
  if (pg.constraint === "live_turns_one_open_key") return conflictError("Another turn of this session was just opened.");
  if (pg.code === "23505" || pg.code === "23514" || pg.code === "23000")
    return conflictError(pg.message ?? "The session changed; reload it.");
  return error;
}

export type { LiveTurnRow };

/**
 * The project slug a session route checks a project-bound API token against; undefined for
 * an id that is not a session (a project-bound token is then refused, any other goes on to
 * the verb, which answers 404).
 */
export async function sessionProjectSlug(db: ServiceContext["db"], sessionId: string): Promise<string | undefined> {
  const parsed = IdParam.safeParse(sessionId);
  if (!parsed.success) return undefined;
  return (await getSessionProjectSlug(db, parsed.data)) ?? undefined;
}
