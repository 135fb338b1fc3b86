/**
 * The raw export's rows: every judgment of a project, one JSON line each, annotators under
 * a pseudonym. Its manifest and dataset card are built in manifest.ts and card.ts.
 */
import { createHmac } from "node:crypto";
import { codePointLength, type ExportJudgmentRecord, type ExportSourceTask } from "@/lib/domain/export/source";

/** The raw export's one data file. */
export const RAW_FILE = "judgments.jsonl";

/** How the manifest describes the pseudonyms. */
export const PSEUDONYM_RULE =
  "pseudonymised: ann-<16 hex of HMAC-SHA256(per-installation secret, project id:user id)>, stable within the project";

/** Rows of a raw export per judgment state. */
export type RawCounts = { rows: number; valid: number; rejected: number; superseded: number };

/**
 * The pseudonym of an annotator in a project's raw exports: HMAC-SHA256 over
 * "<project id>:<user id>" keyed by a random secret stored once per installation. Stable
 * across exports and servers sharing the database (reproducible), different between
 * projects (no linking across projects by pseudonym), and not reversible without the secret.
 */
export function annotatorPseudonym(secret: string, projectId: number, userId: string | number): string {
  return `ann-${createHmac("sha256", secret).update(`${projectId}:${userId}`).digest("hex").slice(0, 16)}`;
}

/**
 * One raw-judgment line (the format `npm run stats` reads, lib/validation/raw-judgment.ts),
 * in a fixed key order, every key on every line (null where a judgment has no value:
 * `strength` on rankings, `ranking` on pairwise, both on "both unacceptable", `gold` off
 * gold tasks). docs/export-format.md, "Raw", describes each field.
 */
export function rawJudgmentLine(task: ExportSourceTask, j: ExportJudgmentRecord, annotator: string): string {
  const { record, candidates } = task;
  return JSON.stringify({
    judgment_id: Number(j.id),
    task_id: Number(record.task_id),
    item_id: record.external_id,
    annotator,
    kind: record.kind,
    scale_points: record.scale_points,
    candidates: candidates.map((c) => Number(c.id)),
    models: candidates.map((c) => c.model),
    strength: record.kind === "pairwise" ? j.strength : null,
    ranking: record.kind === "ranking" ? j.ranks : null,
    both_unacceptable: j.both_unacceptable,
    display_order: j.display_order,
    ratings: j.ratings ?? {},
    unsafe: j.unsafe ?? {},
    roleplay_flags: j.roleplay_flags ?? {},
    rationale: j.rationale,
    seconds: j.seconds,
    gold: record.gold,
    state: j.state,
    created_at: j.created_at,
    candidate_lengths: candidates.map((c) => codePointLength(c.content)),
  });
}
