/**
 * One task as an export reads it from the database (db/queries/exports.ts fills these
 * shapes from its COPY stream), and {@link toExportTask}, the view the row builders take.
 * Field names are the database's (snake_case): these are records as read, before any rule.
 */
import type { JsonText } from "@/lib/domain/export/json-text";
import type { ExportCandidate, ExportTask, UnsafeFlags } from "@/lib/domain/export/types";
import type { ScalePoints } from "@/lib/domain/preference";
import type { JudgmentState, TaskKind } from "@/lib/domain/enums";

/** One task row (ids as text, JSON already parsed). */
export type ExportTaskRecord = {
  task_id: string;
  kind: TaskKind;
  scale_points: number;
  gold: { strength?: number; accept?: number[]; ranks?: number[] } | null;
  item_id: string;
  external_id: string;
  scene: string | null;
  context: { role: "user" | "assistant"; content: string }[];
  language: string | null;
  character_id: string;
  /** [id, model] per candidate, in the task's canonical order (their replies come apart, as bytes). */
  candidates: [string, string][];
  /** The standing adjudication's label, if any. */
  adjudication: {
    strength?: number | null;
    ranks?: number[] | null;
    bothUnacceptable?: boolean;
    unsafe?: Record<string, string> | null;
  } | null;
  /** Every judgment of the task (every state) by id, as arrays in the query's judgment field order. */
  judgments: unknown[][];
};

/** One judgment of a task. The fields only the raw export reads (ratings … created_at) are null unless it asked for them. */
export type ExportJudgmentRecord = {
  id: string;
  task_id: string;
  annotator_id: string;
  strength: number | null;
  ranks: number[] | null;
  both_unacceptable: boolean;
  unsafe: Record<string, string>;
  /** Canonical candidate index → role-play flags; null or absent when none. */
  roleplay_flags?: Record<string, string[]> | null;
  state: JudgmentState;
  /** The annotator is excluded from this project's exports (project_members.excluded_from_exports). */
  excluded: boolean;
  display_order: number[];
  ratings: Record<string, Record<string, number>> | null;
  rationale: string | null;
  seconds: number | null;
  /** ISO 8601, UTC, milliseconds ("2025-01-02T03:04:05.678Z"). */
  created_at: string | null;
};

/** A character as the export reads it: shared by every task of the character (one object, so its rendered profile is memoised). */
export type ExportCharacter = { name: string; profile: Record<string, unknown> };

/** One task with its candidates, character and every judgment of it: what each bundle builder takes. */
export type ExportSourceTask = {
  record: ExportTaskRecord;
  /** The task's candidates in canonical order, replies as JSON bytes (see {@link SourceCandidate}). */
  candidates: SourceCandidate[];
  character: ExportCharacter;
  judgments: ExportJudgmentRecord[];
};

/**
 * A candidate as the export reads it: its reply as the bytes of its JSON literal
 * (`contentJson`, which the serializer copies as they are), the text decoded only when
 * something reads `content` (the raw export's and the card's reply lengths).
 */
export class SourceCandidate implements ExportCandidate {
  constructor(
    readonly id: string,
    readonly model: string,
    readonly contentJson: JsonText,
  ) {}

  get content(): string {
    return this.contentJson.text;
  }
}

/** The row builders' view of a task read from the database. */
export function toExportTask({ record, candidates, character, judgments }: ExportSourceTask): ExportTask {
  const adj = record.adjudication;
  return {
    taskId: record.task_id,
    itemId: record.item_id,
    kind: record.kind,
    scalePoints: record.scale_points as ScalePoints,
    candidates,
    item: {
      externalId: record.external_id,
      character,
      scene: record.scene,
      context: record.context,
      language: record.language,
    },
    judgments: judgments.map((j) => ({
      annotatorKey: j.annotator_id,
      strength: j.strength,
      ranks: j.ranks,
      bothUnacceptable: j.both_unacceptable,
      unsafe: (j.unsafe ?? {}) as UnsafeFlags,
      roleplayFlags: j.roleplay_flags ?? undefined,
      state: j.state,
      excluded: j.excluded,
    })),
    adjudicated: adj
      ? {
          strength: adj.strength ?? null,
          ranks: adj.ranks ?? null,
          bothUnacceptable: adj.bothUnacceptable ?? false,
          unsafe: (adj.unsafe ?? null) as UnsafeFlags | null,
        }
      : null,
    isGold: record.gold !== null,
  };
}

/** A text's length in code points (what the statistics call a reply's length). */
export function codePointLength(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}
