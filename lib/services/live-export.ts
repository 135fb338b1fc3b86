/**
 * Exports of live projects, through the same bundle path as static ones
 * (lib/services/exports.ts, buildExport): sessions are read one at a time (memory bounded
 * by the largest session), turned into rows by the pure rules of lib/domain/live/rows.ts,
 * and written in session-id, turn-id order, so the same data and policy give the same bytes.
 *
 * - `dpo` / `rm` / `kto`: train.jsonl and test.jsonl (a session is in one split),
 *   ties.jsonl.gz, sft.jsonl.gz (the annotators' edits and written replies, TRL
 *   `messages` rows), manifest.json and README.md.
 * - `raw`: judgments.jsonl, one line per turn judgment in the raw-judgment format that
 *   `npm run stats` reads, plus live columns (session, turn, labels, first turn of branch,
 *   same model, swipes, edited).
 * - `tree`: sessions.jsonl, one Open-Assistant-style nested tree per session.
 */
import { createHmac } from "node:crypto";
import type { Db } from "@/db/client";
import { listProjectSessions, loadSessionRecords } from "@/db/queries/live";
import { ensureSystemSecret } from "@/db/queries/exports";
import type { Project } from "@/db/schema";
import {
  buildDatasetCard,
  buildManifest,
  emptyCounts,
  jsonLinePieces,
  renderManifest,
  tallyTask,
  toJsonLine,
  type ExportPolicy,
  type ManifestFileInput,
} from "@/lib/domain/export";
import {
  buildLiveSessionRows,
  comparesDifferentModels,
  indexNodes,
  isFirstTurnOfBranch,
  oaTreeLine,
  sessionLanguage,
  type LiveRowOptions,
  type LiveSessionExport,
  type LiveTree,
} from "@/lib/domain/live";
import type { ScalePoints } from "@/lib/domain/preference";
import { JsonlSink, writeWholeFile, type BundleWriter, type WrittenFile } from "./export-bundle";
import type { BuildExportResult } from "./exports";
import { toLiveTree } from "./live";

export const SFT_FILE = "sft.jsonl.gz";
export const TREE_FILE = "sessions.jsonl";

type SessionRow = Awaited<ReturnType<typeof listProjectSessions>>[number];

/** The pseudonym of an annotator in a project's exports (the same HMAC as static raw exports). */
function pseudonym(secret: string, projectId: number, userId: number): string {
  return `ann-${createHmac("sha256", secret).update(`${projectId}:${userId}`).digest("hex").slice(0, 16)}`;
}

/** Each session of a project with its tree (annotator keys pseudonymised), in id order. */
async function forEachSession(
  db: Db,
  project: Project,
  visit: (row: SessionRow, session: LiveSessionExport, records: Awaited<ReturnType<typeof loadSessionRecords>>) => Promise<void>,
): Promise<void> {
  const secret = await ensureSystemSecret(db, "export.annotator_pseudonym_secret");
  const names = new Map<number, string>();
  const nameOf = (userId: number) => {
    let n = names.get(userId);
    if (n === undefined) names.set(userId, (n = pseudonym(secret, project.id, userId)));
    return n;
  };
  for (const row of await listProjectSessions(db, project.id)) {
    const records = await loadSessionRecords(db, row.session.id);
    const tree = pseudonymise(toLiveTree(row.session, records), records, nameOf);
    const session: LiveSessionExport = {
      sessionId: String(row.session.id),
      character: { name: row.character.name, profile: row.character.profile },
      scene: row.session.scene,
      userRole: row.session.userRole,
      scalePoints: project.scalePoints as ScalePoints,
      tree,
    };
    await visit(row, session, records);
  }
}

/** The tree with every user key replaced by the annotator's export pseudonym. */
function pseudonymise(tree: LiveTree, records: Awaited<ReturnType<typeof loadSessionRecords>>, nameOf: (id: number) => string): LiveTree {
  const authorOf = new Map(records.nodes.map((n) => [String(n.id), n.authorId]));
  const judgeOf = new Map(records.judgments.map((j) => [String(j.turnId), j.annotatorId]));
  return {
    ...tree,
    nodes: tree.nodes.map((n) =>
      n.author.kind === "user" ? { ...n, author: { kind: "user", userKey: nameOf(authorOf.get(n.id) ?? 0) } } : n,
    ),
    turns: tree.turns.map((t) => (t.judgment ? { ...t, judgment: { ...t.judgment, annotatorKey: nameOf(judgeOf.get(t.id) ?? 0) } } : t)),
  };
}

/** A training bundle of a live project (see the module comment). */
export async function writeLivePreferenceBundle(
  db: Db,
  project: Project,
  kind: "dpo" | "rm" | "kto",
  policy: ExportPolicy,
  live: LiveRowOptions,
  writer: BundleWriter,
  exportId: number,
  appVersion: string,
): Promise<BuildExportResult> {
  const train = new JsonlSink(writer, "train.jsonl");
  const test = new JsonlSink(writer, "test.jsonl");
  const ties = new JsonlSink(writer, "ties.jsonl.gz", true);
  const sft = new JsonlSink(writer, SFT_FILE, true);
  const counts = emptyCounts();
  let judgments = 0;
  await forEachSession(db, project, async (_row, session) => {
    for (const built of buildLiveSessionRows(session, policy, live)) {
      judgments++;
      tallyTask(counts, built);
      const sink = built.split === "test" ? test : built.split === "train" ? train : null;
      if (sink) {
        for (const row of built.rows) {
          const pending = sink.pushPieces(jsonLinePieces(row));
          if (pending) await pending;
        }
      }
      for (const row of built.ties) {
        const pending = ties.pushPieces(jsonLinePieces(row));
        if (pending) await pending;
      }
      for (const row of built.sft) {
        const pending = sft.push(toJsonLine(row));
        if (pending) await pending;
      }
    }
  });
  const written = (await Promise.all([train.end(), test.end(), ties.end(), sft.end()])).filter((f): f is WrittenFile => f !== null);
  const manifestFiles: ManifestFileInput[] = written.map((f) => ({
    path: f.name,
    split: f.name === "test.jsonl" ? "test" : f.name === "train.jsonl" ? "train" : "ties",
    rows: f.rows,
    sha256: f.sha256,
  }));
  const projectRef = { slug: project.slug, name: project.name };
  const filters = {
    source: "live sessions: one task per judged turn, one judgment each",
    edit_pairs: live.editPairs,
    swipe_pairs: live.swipePairs,
    split_unit: "session",
  };
  const manifest = buildManifest({
    kind,
    project: projectRef,
    policy,
    counts,
    files: manifestFiles,
    sourceJudgments: judgments,
    generatedAt: new Date().toISOString(),
    appVersion,
    filters,
  });
  const card = buildDatasetCard({
    project: projectRef,
    kind,
    policy,
    counts,
    files: manifestFiles,
    scalePoints: [project.scalePoints as ScalePoints],
    guidelines: project.guidelines,
    appVersion,
  });
  const liveNote = [
    "",
    "## Live sessions",
    "",
    `These rows come from live role-play sessions: an annotator played the user and judged the replies of ${project.settings.live?.perTurn ?? 2} endpoints at every turn. Each judged turn is one prompt (the persona system message and the conversation as it was up to that user turn). A whole session, with all its branches, is in one split. Rows with \`pair_source: "swipe"\` pair the turn's winner with a reply the annotator regenerated away; rows with \`pair_source: "edit"\` pair an annotator's edit (or own reply after "all unacceptable") with the reply it replaced${live.editPairs ? "; leave them out with `--no-edit-pairs`" : " (left out of this export)"}. The edits are also in \`${SFT_FILE}\` as supervised fine-tuning rows (\`messages\`).`,
    "",
  ].join("\n");
  const manifestFile = await writeWholeFile(writer, "manifest.json", renderManifest(manifest));
  const cardFile = await writeWholeFile(writer, "README.md", `${card.trimEnd()}\n${liveNote}`);
  const files = [...written, manifestFile, cardFile];
  await writer.commit(files.map((f) => f.name));
  return { exportId, kind, project: projectRef, files, counts, rawCounts: null, sourceJudgments: judgments, statsBasis: null };
}

/** Raw judgments and trees of a live project (see the module comment). */
export async function writeLiveRecordsBundle(
  db: Db,
  project: Project,
  kind: "raw" | "tree",
  writer: BundleWriter,
  exportId: number,
  appVersion: string,
): Promise<BuildExportResult> {
  const name = kind === "raw" ? "judgments.jsonl" : TREE_FILE;
  const sink = new JsonlSink(writer, name);
  let sessions = 0;
  let rows = 0;
  let judged = 0;
  await forEachSession(db, project, async (row, session, records) => {
    sessions++;
    if (kind === "tree") {
      const line = oaTreeLine(
        {
          sessionId: String(row.session.id),
          project: project.slug,
          character: row.character.name,
          scene: row.session.scene,
          userRole: row.session.userRole,
          language: sessionLanguage(session),
          state: row.session.state,
          rating: row.session.rating,
          ratingNote: row.session.ratingNote,
        },
        session.tree,
      );
      rows++;
      judged += records.judgments.length;
      const pending = sink.push(line);
      if (pending) await pending;
      return;
    }
    const byId = indexNodes(session.tree.nodes);
    const nodeRow = new Map(records.nodes.map((n) => [n.id, n]));
    for (const j of records.judgments) {
      const turn = session.tree.turns.find((t) => t.id === String(j.turnId))!;
      const compared = j.candidateNodeIds.map((id) => nodeRow.get(id)!);
      const models = compared.map((n) => n.model ?? "");
      rows++;
      judged++;
      const line = JSON.stringify({
        judgment_id: j.id,
        task_id: j.turnId,
        item_id: `s${row.session.id}/t${j.turnId}`,
        annotator: turn.judgment!.annotatorKey,
        kind: compared.length === 2 ? "pairwise" : "ranking",
        scale_points: project.scalePoints,
        candidates: j.candidateNodeIds,
        models,
        strength: j.strength,
        ranking: j.ranks,
        both_unacceptable: j.bothUnacceptable,
        display_order: compared.map((_, i) => i),
        ratings: j.ratings,
        unsafe: j.unsafe,
        rationale: j.rationale,
        seconds: j.seconds,
        gold: null,
        state: "valid",
        created_at: j.createdAt.toISOString(),
        candidate_lengths: compared.map((n) => [...n.text].length),
        session_id: row.session.id,
        turn_index: turn.index,
        labels: j.labels,
        endpoints: compared.map((n) => n.endpointName ?? ""),
        first_turn_of_branch: isFirstTurnOfBranch(byId, turn),
        same_model: !comparesDifferentModels(models),
        swipes: turn.slots.map((s) => s.swipedNodeIds.length),
        edited: j.editNodeId !== null,
      });
      const pending = sink.push(line);
      if (pending) await pending;
    }
  });
  const data = await sink.end();
  const written = data ? [data] : [];
  const projectRef = { slug: project.slug, name: project.name };
  const manifest = {
    schema_version: 1,
    kind,
    format: kind === "raw" ? "raw-judgments" : "open-assistant-tree",
    project: projectRef,
    annotators: "pseudonymised: ann-<16 hex of HMAC-SHA256(per-installation secret, project id:user id)>, stable within the project",
    counts: { sessions, rows, judgments: judged },
    files: Object.fromEntries(written.map((f) => [f.name, { rows: f.rows, sha256: f.sha256 }])),
    source_judgments: judged,
    generated_at: new Date().toISOString(),
    app_version: appVersion,
    export_id: exportId,
  };
  const what =
    kind === "raw"
      ? `Every turn judgment of the live sessions of the Arbiter project \`${project.slug}\`, one JSON object per line in the raw-judgment format (\`npm run stats -- judgments.jsonl\` reads it), with live columns: \`session_id\`, \`turn_index\`, \`labels\` (shown, slot order), \`endpoints\`, \`first_turn_of_branch\`, \`same_model\`, \`swipes\` (regenerates per slot), \`edited\`.`
      : `Every live session of the Arbiter project \`${project.slug}\` as one Open-Assistant-style message tree per line: the greeting is the root \`prompt\`; each message has \`message_id\`, \`parent_id\`, \`role\` (prompter / assistant), \`kind\`, \`text\`, \`turn\`, \`label\` (shown), \`rank\` (0 = best), \`chosen\`, \`swiped\`, \`edit_of\`, \`synthetic\`, \`model_name\`, \`author\`, \`judgment\` (on user messages) and \`replies\`.`;
  const card = [
    "---",
    "license: other",
    `pretty_name: ${JSON.stringify(`${project.name} — ${kind === "raw" ? "raw live judgments" : "live session trees"}`)}`,
    "tags:",
    "- arbiter",
    "- role-play",
    "- human-feedback",
    "- preference",
    "configs:",
    "- config_name: default",
    "  data_files:",
    "  - split: train",
    `    path: ${JSON.stringify(name)}`,
    "---",
    "",
    `# ${project.name}: ${kind === "raw" ? "raw live judgments" : "live session trees"}`,
    "",
    `${what} ${sessions} sessions, ${judged} judged turns (app ${appVersion}). Format: Arbiter's docs/export-format.md, "Live projects".`,
    "",
  ].join("\n");
  const manifestFile = await writeWholeFile(writer, "manifest.json", `${JSON.stringify(manifest, null, 2)}\n`);
  const cardFile = await writeWholeFile(writer, "README.md", card);
  const files = [...written, manifestFile, cardFile];
  await writer.commit(files.map((f) => f.name));
  return {
    exportId,
    kind,
    project: projectRef,
    files,
    counts: null,
    rawCounts: { rows, valid: rows, rejected: 0, superseded: 0 },
    sourceJudgments: judged,
    statsBasis: null,
  };
}
