/**
 * What the annotator's verbs answer (lib/services/annotation.ts): the task view's lease,
 * a judgment as its annotator sees it, a history entry — and the mapping from stored rows
 * to them. Answers are shown in display terms (slots as shown), never in canonical order.
 */
import type { Db } from "@/db/client";
import { getFirstSubmittedAt, type HistoryRow } from "@/db/queries/judgments";
import type { CharacterProfile, ContextMessage, Judgment } from "@/db/schema";
import { answerToDisplay } from "@/lib/domain/answer";
import { editableUntil } from "@/lib/domain/assignment";
import type { TaskKind } from "@/lib/domain/enums";
import type { ProjectSettings } from "@/lib/validation/project-settings";

/** The project settings the task view needs. */
export type TaskViewSettings = Pick<
  ProjectSettings,
  | "dimensions"
  | "rationale"
  | "markdown"
  | "allowBothUnacceptable"
  | "allowRankingTies"
  | "safetyFlags"
  | "roleplayFlags"
  | "editWindowMinutes"
>;

/** What the task view (and the JSON API) gets for a lease. Candidates are in display order, without models. */
export type LeasePayload = {
  assignment: { id: number; leasedAt: string; expiresAt: string; resumed: boolean };
  project: { slug: string; name: string; settings: TaskViewSettings };
  task: { id: number; kind: TaskKind; scalePoints: number; candidateCount: number };
  item: { character: { name: string; profile: CharacterProfile }; scene: string | null; context: ContextMessage[] };
  /** `slot` 0 is shown first (left). Answers refer to slots. */
  candidates: { slot: number; content: string }[];
  progress: {
    /** The annotator's valid judgments in this project since `todaySince`. */
    mineToday: number;
    /** Valid judgments on the project's non-gold tasks (capped per task at overlap) and how many are needed. */
    projectJudgments: number;
    projectNeeded: number;
    /** projectJudgments / projectNeeded, 0..1 (may lag a few seconds). */
    projectCompletion: number;
  };
};

/** A stored judgment as its annotator sees it: the answer in display terms, never the canonical order. */
export type JudgmentView = {
  id: number;
  assignmentId: number;
  taskId: number;
  state: Judgment["state"];
  /** The judgment this one replaced through an edit. */
  supersedesId: number | null;
  createdAt: string;
  /** Until when an edit is accepted (the edit window counts from the first submission). */
  editableUntil: string;
  answer: {
    strength?: number;
    ranking?: number[];
    both_unacceptable: boolean;
    ratings: Record<string, Record<string, number>>;
    unsafe: Record<string, string>;
    roleplay_flags: Record<string, string[]>;
    rationale?: string;
    seconds?: number;
  };
};

/** One entry of the annotator's history. */
export type HistoryEntry = JudgmentView & {
  project: { slug: string; name: string };
  kind: TaskKind;
  scalePoints: number;
  edited: boolean;
  editable: boolean;
  item: { characterName: string; scene: string | null; lastUserMessage: string | null };
};

/** The project settings the task view shows. */
export function taskViewSettings(s: ProjectSettings): TaskViewSettings {
  return {
    dimensions: s.dimensions,
    rationale: s.rationale,
    markdown: s.markdown,
    allowBothUnacceptable: s.allowBothUnacceptable,
    allowRankingTies: s.allowRankingTies,
    safetyFlags: s.safetyFlags,
    // Projects stored before role-play flags existed collect them too.
    roleplayFlags: s.roleplayFlags ?? true,
    editWindowMinutes: s.editWindowMinutes,
  };
}

export function answerView(
  j: Pick<Judgment, "strength" | "ranks" | "bothUnacceptable" | "ratings" | "unsafe" | "roleplayFlags" | "rationale" | "seconds">,
  displayOrder: number[],
): JudgmentView["answer"] {
  const d = answerToDisplay(
    {
      strength: j.strength,
      ranks: j.ranks,
      bothUnacceptable: j.bothUnacceptable,
      ratings: j.ratings,
      unsafe: j.unsafe,
      roleplayFlags: j.roleplayFlags ?? {},
      rationale: j.rationale,
      seconds: j.seconds,
    },
    displayOrder,
  );
  return {
    ...(d.strength !== undefined ? { strength: d.strength } : {}),
    ...(d.ranking !== undefined ? { ranking: d.ranking } : {}),
    both_unacceptable: d.bothUnacceptable ?? false,
    ratings: d.ratings ?? {},
    unsafe: d.unsafe ?? {},
    roleplay_flags: d.roleplayFlags ?? {},
    ...(d.rationale !== undefined ? { rationale: d.rationale } : {}),
    ...(d.seconds !== undefined ? { seconds: d.seconds } : {}),
  };
}

export function viewOf(j: Judgment, settings: ProjectSettings, firstSubmittedAt: Date): JudgmentView {
  return {
    id: j.id,
    assignmentId: j.assignmentId,
    taskId: j.taskId,
    state: j.state,
    supersedesId: j.supersedesId,
    createdAt: j.createdAt.toISOString(),
    editableUntil: editableUntil(firstSubmittedAt, settings.editWindowMinutes).toISOString(),
    answer: answerView(j, j.displayOrder),
  };
}

/** The stored judgment's view; the same bytes for a first submit and its retries. */
export async function present(tx: Db, j: Judgment, settings: ProjectSettings, firstSubmittedAt?: Date): Promise<JudgmentView> {
  const first =
    firstSubmittedAt ?? (j.supersedesId === null ? j.createdAt : ((await getFirstSubmittedAt(tx, j.assignmentId)) ?? j.createdAt));
  return viewOf(j, settings, first);
}

/** A history row as its annotator sees it; `editable` as of `now`. */
export function historyEntryOf(r: HistoryRow, now: Date): HistoryEntry {
  const until = editableUntil(r.firstSubmittedAt, r.editWindowMinutes);
  return {
    id: r.id,
    assignmentId: r.assignmentId,
    taskId: r.taskId,
    state: r.state,
    supersedesId: null,
    createdAt: r.createdAt.toISOString(),
    editableUntil: until.toISOString(),
    answer: answerView(r, r.displayOrder),
    project: { slug: r.projectSlug, name: r.projectName },
    kind: r.kind,
    scalePoints: r.scalePoints,
    edited: r.edited,
    editable: r.state === "valid" && r.projectStatus === "active" && now.getTime() <= until.getTime(),
    item: { characterName: r.characterName, scene: r.scene, lastUserMessage: r.lastUserMessage },
  };
}
