/**
 * The bundle's README.md: a Hugging Face dataset card (YAML header + prose).
 * Pure: every figure is passed in; the generated time is deliberately not in the
 * card (it lives only in the manifest), so the card is reproducible too.
 */
import { scaleMax, type ScalePoints } from "@/lib/domain/preference";
import { meanAgreement, type ExportCounts } from "@/lib/domain/export/counts";
import { formatName, type ManifestFileInput } from "@/lib/domain/export/manifest";
import { RAW_FILE, type RawCounts } from "@/lib/domain/export/raw";
import { SPLIT_RULE } from "@/lib/domain/export/split";
import { marginFor } from "@/lib/domain/export/strength";
import { PAIR_DROP_REASONS, TASK_DROP_REASONS, type ExportKind, type ExportPolicy } from "@/lib/domain/export/types";

/** Agreement and bias figures from the statistics module (any may be missing). */
export interface CardStats {
  /** Mean `agreement` over exported pairs (0..1); computed from the counts when left out. */
  meanAgreement?: number;
  /** Krippendorff's alpha, ordinal on the strength scale. */
  krippendorffAlphaOrdinal?: number;
  /** Fleiss' kappa on A / tie / B. */
  fleissKappa?: number;
  /** Share of judgments preferring the reply shown on the left (0.5 = no position bias). */
  leftChoiceShare?: number;
  /** Share of decided pairs where the longer reply won (0.5 = no length bias). */
  longerWinsShare?: number;
  /** Which judgments the alpha / kappa / bias figures were computed on (e.g. a bounded sample), stated in the card. */
  basis?: string;
}

/** Figures the dataset card is built from. */
export interface DatasetCardInput {
  project: { slug: string; name: string };
  kind: ExportKind;
  policy: ExportPolicy;
  counts: ExportCounts;
  files: readonly ManifestFileInput[];
  /** Scales used by the exported tasks (e.g. [7]). */
  scalePoints: readonly ScalePoints[];
  /** Hugging Face license id; default "other". */
  license?: string;
  /** A short Markdown summary of the annotation guidelines. */
  guidelines?: string;
  stats?: CardStats;
  appVersion: string;
}

const SIZE_BUCKETS: readonly [number, string][] = [
  [1e3, "n<1K"],
  [1e4, "1K<n<10K"],
  [1e5, "10K<n<100K"],
  [1e6, "100K<n<1M"],
  [1e7, "1M<n<10M"],
  [1e8, "10M<n<100M"],
  [1e9, "100M<n<1B"],
];

/** Hugging Face `size_categories` value for a row count. */
export function sizeCategory(rows: number): string {
  for (const [limit, name] of SIZE_BUCKETS) if (rows < limit) return name;
  return "n>1B";
}

const KIND_TAGS: Record<ExportKind, string[]> = {
  dpo: ["dpo"],
  rm: ["reward-modeling"],
  kto: ["kto"],
};

const KIND_TITLES: Record<ExportKind, string> = {
  dpo: "DPO preference pairs",
  rm: "reward-model preference pairs with margins",
  kto: "KTO unpaired desirability labels",
};

/** A YAML double-quoted scalar (JSON strings are valid YAML). */
function q(value: string): string {
  return JSON.stringify(value);
}

function pct(x: number | undefined): string {
  return x === undefined ? "not computed for this export" : `${(x * 100).toFixed(1)}%`;
}

function num(x: number | undefined, digits = 3): string {
  return x === undefined ? "not computed for this export" : x.toFixed(digits);
}

/** The YAML front matter: license, language, pretty name, tags, size, configs. */
export function datasetCardHeader(input: DatasetCardInput): string {
  const languages = Object.keys(input.counts.languages).sort();
  const dataFiles = input.files.filter((f) => f.split !== "ties" && f.rows > 0);
  const tieFiles = input.files.filter((f) => f.split === "ties" && f.rows > 0);
  const total = input.counts.rows.train + input.counts.rows.test;
  const lines = ["---", `license: ${input.license ?? "other"}`];
  if (languages.length > 0) lines.push("language:", ...languages.map((l) => `- ${l}`));
  lines.push(`pretty_name: ${q(`${input.project.name} — ${KIND_TITLES[input.kind]}`)}`);
  lines.push("task_categories:", "- text-generation");
  lines.push("tags:", ...["arbiter", "role-play", "human-feedback", "preference", ...KIND_TAGS[input.kind]].map((t) => `- ${t}`));
  lines.push("size_categories:", `- ${sizeCategory(total)}`);
  lines.push("configs:");
  lines.push("- config_name: default", "  data_files:");
  for (const f of dataFiles) lines.push(`  - split: ${f.split}`, `    path: ${q(f.path)}`);
  if (tieFiles.length > 0) {
    lines.push("- config_name: ties", "  data_files:");
    for (const f of tieFiles) lines.push("  - split: train", `    path: ${q(f.path)}`);
  }
  lines.push("---");
  return lines.join("\n");
}

function marginTable(points: ScalePoints, policy: ExportPolicy): string {
  const max = scaleMax(points);
  const rows: string[] = [];
  for (let s = max; s >= 1; s--) rows.push(`| ${s} | ${marginFor(s, max, policy.marginScale)} |`);
  return [
    `${points}-point scale (|strength| → margin, \`${policy.marginScale}\`):`,
    "",
    "| strength (magnitude) | margin |",
    "| --- | --- |",
    ...rows,
  ].join("\n");
}

/**
 * The whole README.md: {@link datasetCardHeader} and prose on the files, row format,
 * guidelines, scale and margins, aggregation policy and what was dropped, agreement,
 * position and length bias, prompt construction (greeting folding), safety, the
 * split rule and intended use.
 */
export function buildDatasetCard(input: DatasetCardInput): string {
  const { policy, counts, kind } = input;
  const s = input.stats ?? {};
  const out: string[] = [datasetCardHeader(input), ""];
  out.push(`# ${input.project.name}: ${KIND_TITLES[kind]}`, "");
  out.push(
    `Human preference judgments on role-play replies, collected with Arbiter (project \`${input.project.slug}\`, app ${input.appVersion}) and exported as ${KIND_TITLES[kind]} in TRL's ${policy.format} format (\`${formatName(policy.format)}\`).`,
    "",
  );

  out.push("## Files", "", "| file | split | rows | sha256 |", "| --- | --- | --- | --- |");
  for (const f of input.files) out.push(`| ${f.path} | ${f.split} | ${f.rows} | \`${f.sha256}\` |`);
  const tiesPath = input.files.find((f) => f.split === "ties")?.path ?? "ties.jsonl";
  out.push(
    "",
    `\`${tiesPath}\` (config \`ties\`) holds ties and "both unacceptable" outcomes for analysis; it is not training data. \`manifest.json\` records the policy, the counts and the hashes above.`,
    "",
  );

  out.push("## Row format", "");
  if (kind === "kto") {
    out.push("`prompt`, `completion` (the reply) and `label` (`true` = desirable), as TRL's KTOTrainer expects.");
  } else {
    out.push(
      `\`prompt\`, \`chosen\`, \`rejected\`${kind === "rm" ? " and a numeric `margin`" : ""}, as TRL's ${kind === "rm" ? "RewardTrainer" : "DPOTrainer"} expects.`,
    );
  }
  out.push(
    policy.format === "conversational"
      ? "`prompt` is a message list: one `system` message built from the character profile (and scene), then the dialogue alternating `user` / `assistant`, ending with the user turn being answered; each reply is one `assistant` message."
      : "`prompt` is the dialogue rendered as readable text, ending with the character's name and a colon; replies are plain strings, kept exactly as written.",
    "",
    "Metadata columns (never null): `id`, `prompt_id` (shared by every row of one prompt), `item_id`, `character`, " +
      (kind === "kto" ? "`model`" : "`chosen_model`, `rejected_model`") +
      ", `strength` (how strongly the preferred reply wins: mean |strength| of the majority on the project scale; K-wise: mean-rank gap), `strength_level` (`much_better`, `better`, `slightly_better`, `ranked_higher`, `safety`), `n_annotators`, `agreement` (share of counted annotators agreeing with the consensus), `pair_source` (`pairwise`, `kwise`, `safety`), `language`.",
    "",
  );

  out.push("## Annotation guidelines", "", input.guidelines?.trim() || "See the project's guidelines in Arbiter.", "");

  out.push("## Preference scale and margins", "");
  out.push(
    "Annotators give a signed strength relative to the canonical candidate order (the left/right order shown was randomised per assignment and recorded separately). K-wise tasks give a ranking, expanded on export: every pair with distinct mean ranks for reward models (C(K,2) pairs sharing one `prompt_id`), best versus each other reply for DPO.",
    "",
  );
  const scales = [...new Set(input.scalePoints)].sort((a, b) => b - a);
  for (const points of scales) out.push(marginTable(points, policy), "");
  out.push(
    `Margins follow Llama 2 (\`small\`: |strength| / max, \`large\`: 3·|strength| / max; K-wise: mean-rank gap / (K−1)). Rows carry \`strength\` and \`strength_level\` so that other mappings can be applied.`,
    "",
  );

  out.push("## Aggregation policy", "");
  out.push(
    `- Counted: valid judgments of annotators not excluded by a lead; rejected and superseded judgments and gold tasks never count; an adjudicated label overrides the vote (${counts.adjudicated_tasks} tasks).`,
    policy.consensus !== undefined && policy.consensus !== "majority"
      ? `- Pairwise: the label of the ${policy.consensus === "mace" ? "MACE (Hovy et al. 2013)" : "Dawid–Skene (1979)"} annotator model fitted over all counted judgments (A, tie or B; a strict majority of "both unacceptable" votes stays that); \`agreement\` is the label's posterior, at least ${(policy.minPosterior ?? 0.8).toFixed(3)}; strength is the mean of the label's side.`
      : "- Pairwise: the direction with the most votes wins (A, B, tie, both unacceptable; a level top is no majority); strength is the mean of the majority side.",
    "- Rankings: mean rank per reply; each pair's agreement is the share of counted annotators ranking the preferred reply strictly higher.",
    `- At least ${policy.minJudgments} counted judgments and agreement ≥ ${policy.minAgreement.toFixed(3)} per pair.`,
    `- "Slightly better" pairs: ${policy.dropSlightlyBetter ? "dropped" : "kept"}.`,
    "",
    "| tasks without pairs | count |",
    "| --- | --- |",
    ...TASK_DROP_REASONS.map((r) => `| ${r} | ${counts.tasks_dropped[r]} |`),
    "",
    "| pairs left out | count |",
    "| --- | --- |",
    ...PAIR_DROP_REASONS.map((r) => `| ${r} | ${counts.pairs_dropped[r]} |`),
    "",
    `Judgments read: ${counts.judgments.total} (counted ${counts.judgments.counted}, rejected ${counts.judgments.rejected}, superseded ${counts.judgments.superseded}, excluded annotators ${counts.judgments.excluded}, malformed ${counts.judgments.invalid}, in gold tasks ${counts.judgments.in_gold_tasks}).`,
    "",
  );

  out.push("## Agreement", "");
  const distribution = Object.entries(counts.agreement_distribution).sort((x, y) => Number(y[0]) - Number(x[0]));
  out.push(
    `- Mean agreement of exported pairs: ${pct(s.meanAgreement ?? meanAgreement(counts))}`,
    `- Rows by agreement: ${distribution.length > 0 ? distribution.map(([value, n]) => `${value} → ${n}`).join(", ") : "no rows"}`,
    `- Krippendorff's alpha (ordinal, strength): ${num(s.krippendorffAlphaOrdinal)}`,
    `- Fleiss' kappa (A / tie / B): ${num(s.fleissKappa)}`,
    ...(s.basis ? [`- Alpha, kappa and the bias figures below are computed on ${s.basis}.`] : []),
    "",
  );

  out.push("## Position and length bias", "");
  out.push(
    `- Share of judgments preferring the left reply: ${pct(s.leftChoiceShare)} (50% = no position bias)`,
    `- Share of decided pairs won by the longer reply: ${pct(s.longerWinsShare)} (length bias if far above 50%)`,
    "",
  );

  out.push("## Prompt construction", "");
  out.push(
    `The system message lists the character's profile (well-known attributes first: name, nickname, gender, age, …, personality, background, speaking style, catchphrases, relationships; then the rest in code-point order) and the scene. Consecutive turns of one role are merged with a newline. A dialogue opening with the character speaking has that greeting folded into the system message: ${counts.greeting_folded} exported task(s) had a greeting folded.`,
    "",
  );

  out.push("## Safety", "");
  out.push(
    `A reply flagged unsafe by a majority of counted annotators is never \`chosen\`: such pairs are ${policy.unsafeRule === "flip" ? "flipped into safety pairs (the safe reply chosen) when the other reply is safe, otherwise dropped" : "dropped"} (${counts.pairs_dropped.unsafe_chosen} dropped). Safety pairs (safe reply chosen over an unsafe one, \`pair_source: "safety"\`): ${policy.safetyPairs ? "emitted" : "not emitted"} (${counts.pair_sources.safety} rows).`,
    "",
  );

  out.push("## Split", "");
  out.push(
    `Split by conversation, so no prompt, and no dialogue extending another's, is in both splits: \`${SPLIT_RULE}\` with test_percent = ${policy.testPercent} and salt ${q(policy.salt)}.`,
    "",
  );

  out.push("## Intended use", "");
  out.push(
    "Preference optimisation (DPO, reward modelling, KTO) and evaluation of role-play language models. The prompts are fictional personas; replies may include flagged unsafe content, which is only ever on the rejected side. Not intended for training models to imitate real people.",
    "",
  );
  return out.join("\n");
}

/** Figures the raw export's dataset card is built from. */
export interface RawDatasetCardInput {
  project: { slug: string; name: string };
  tasks: number;
  counts: RawCounts;
  appVersion: string;
}

/** The raw export's README.md: a Hugging Face dataset card naming every field of a line. */
export function buildRawDatasetCard(input: RawDatasetCardInput): string {
  const { project, counts } = input;
  return [
    "---",
    "license: other",
    `pretty_name: ${q(`${project.name} — raw judgments`)}`,
    "tags:",
    "- arbiter",
    "- role-play",
    "- human-feedback",
    "- preference",
    "configs:",
    "- config_name: default",
    "  data_files:",
    "  - split: train",
    `    path: ${q(RAW_FILE)}`,
    "---",
    "",
    `# ${project.name}: raw judgments`,
    "",
    `Every judgment of the Arbiter project \`${project.slug}\` (app ${input.appVersion}), one JSON object per line, in every state (\`valid\`, \`rejected\`, \`superseded\` — only \`valid\` ones count): ${counts.rows} judgments (${counts.valid} valid, ${counts.rejected} rejected, ${counts.superseded} superseded) of ${input.tasks} tasks.`,
    "",
    'Fields: `judgment_id`, `task_id`, `item_id`, `annotator` (a pseudonym, stable within the project), `kind`, `scale_points`, `candidates` (ids, canonical order), `models`, `strength` (pairwise, canonical: negative = first candidate better) or `ranking` (rank per candidate, 1 = best), `both_unacceptable`, `display_order` (canonical index shown in each slot, 0 = left), `ratings`, `unsafe`, `roleplay_flags`, `rationale`, `seconds`, `gold`, `state`, `created_at`, `candidate_lengths`. Format: Arbiter\'s docs/export-format.md, "Raw"; `npm run stats -- judgments.jsonl` computes the agreement statistics.',
    "",
  ].join("\n");
}
