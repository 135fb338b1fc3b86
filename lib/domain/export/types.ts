/**
 * Types shared by the pure export builders: what the database hands over per task,
 * the export policy, and the shapes of the rows written to the JSONL files.
 *
 * Everything here is plain data (no I/O); the database layer loads one
 * {@link ExportTask} per task and the builders in this folder turn it into rows.
 */
import { z } from "zod";
import type { JsonText } from "@/lib/domain/export/json-text";
import type { Ranks, ScalePoints, UnsafeCategory } from "@/lib/domain/preference";
import type { TaskKind } from "@/lib/domain/enums";

// ---------------------------------------------------------------------------
// Input: one task as loaded from the database
// ---------------------------------------------------------------------------

/** One candidate reply, in the task's canonical order (index 0 = "A"). */
export interface ExportCandidate {
  /** Stable candidate id (stringify numeric/bigint ids). */
  readonly id: string;
  /** Name of the model that produced the reply. */
  readonly model: string;
  /** The reply text, exactly as imported. */
  readonly content: string;
  /**
   * The same text as the bytes of its JSON literal, when the loader has them: rows then
   * carry this instead of `content`, and the serializer copies its bytes (see JsonText).
   */
  readonly contentJson?: JsonText;
}

/** One turn of the item's dialogue context. */
export interface ExportContextTurn {
  readonly role: "user" | "assistant";
  readonly content: string;
}

/** The role-play prompt of a task. */
export interface ExportItem {
  /** The item's `external_id`, unique within the project; used as the `item_id` column. */
  readonly externalId: string;
  readonly character: {
    readonly name: string;
    /** Free-form profile: values are strings, numbers, string lists or nested objects. */
    readonly profile: Readonly<Record<string, unknown>>;
  };
  /** Optional scene / system instruction. */
  readonly scene?: string | null;
  /** The dialogue, ending with the user turn the candidates answer. */
  readonly context: readonly ExportContextTurn[];
  /** BCP-47 / ISO 639-1 language code of the item (e.g. "zh"), if known. */
  readonly language?: string | null;
}

/** Lifecycle state of a judgment; only `valid` judgments are ever counted. */
export type ExportJudgmentState = "valid" | "rejected" | "superseded";

/**
 * Safety flags of one judgment (or of an adjudicated label): canonical candidate
 * index → category. Keys may arrive as strings ("0") from JSON; both work.
 */
export type UnsafeFlags = Readonly<Partial<Record<number, UnsafeCategory>>>;

/** One annotator's judgment of the task. */
export interface ExportJudgment {
  /** Stable pseudonymous annotator key (one judgment per annotator and task). */
  readonly annotatorKey: string;
  /** Pairwise: canonical strength (negative = candidate A better, 0 = tie). */
  readonly strength?: number | null;
  /** Ranking: ranks[i] = rank of canonical candidate i, 1 = best. */
  readonly ranks?: Ranks | null;
  /** "Both (all) unacceptable": its own answer, separate from a tie. */
  readonly bothUnacceptable: boolean;
  readonly unsafe: UnsafeFlags;
  /** Role-play faults per canonical candidate index (out_of_character, speaks_for_user, reveals_ai). */
  readonly roleplayFlags?: Readonly<Partial<Record<number, readonly string[]>>>;
  readonly state: ExportJudgmentState;
  /** The annotator's work is excluded from exports by a lead. */
  readonly excluded: boolean;
}

/** A lead's final label for the task; it overrides the annotators' vote. */
export interface ExportAdjudication {
  readonly strength?: number | null;
  readonly ranks?: Ranks | null;
  readonly bothUnacceptable?: boolean;
  /** When given, replaces the annotators' safety consensus. */
  readonly unsafe?: UnsafeFlags | null;
}

/** Everything the builders need about one task. */
export interface ExportTask {
  readonly taskId: string;
  /** Database id of the item (the split and `prompt_id` do not depend on it). */
  readonly itemId: string;
  readonly kind: TaskKind;
  readonly scalePoints: ScalePoints;
  /** Candidates in canonical order; pairwise tasks have exactly two. */
  readonly candidates: readonly ExportCandidate[];
  readonly item: ExportItem;
  readonly judgments: readonly ExportJudgment[];
  readonly adjudicated?: ExportAdjudication | null;
  readonly isGold: boolean;
  /**
   * With a model-based consensus policy: the model's label (0 = A, 1 = tie, 2 = B) and its
   * posterior {A, tie, B} for this task, from `fitExportConsensus`; absent otherwise.
   */
  readonly modelConsensus?: { readonly label: 0 | 1 | 2; readonly posterior: readonly number[] } | null;
}

// ---------------------------------------------------------------------------
// Policy
// ---------------------------------------------------------------------------

/** Dataset kinds built from preference rows (the raw export is separate). */
export type ExportKind = "dpo" | "rm" | "kto";
/** `conversational`: TRL message lists; `standard`: plain strings. */
export type ExportFormat = "conversational" | "standard";
/** `small`: Llama 2 margins 1, 2/3, 1/3; `large`: 3, 2, 1 (7-point scale). */
export type MarginScale = "small" | "large";
/**
 * What happens to a pair whose consensus winner is consensus-unsafe:
 * `drop` leaves the pair out; `flip` emits the safe reply as `chosen`
 * (`pair_source: "safety"`). A pair of two unsafe replies is always dropped.
 */
export type UnsafeRule = "drop" | "flip";

/** Zod schema of the export policy, with the documented defaults. */
export const exportPolicySchema = z.object({
  kind: z.enum(["dpo", "rm", "kto"]).default("dpo"),
  format: z.enum(["conversational", "standard"]).default("conversational"),
  /** Minimum counted judgments per task (adjudicated tasks are exempt). */
  minJudgments: z.number().int().min(1).default(2),
  /** Minimum share of counted judgments agreeing with the consensus (adjudicated tasks are exempt). */
  minAgreement: z
    .number()
    .min(0)
    .max(1)
    .default(2 / 3),
  /**
   * Who decides a pairwise task's label: the majority of votes, or an annotator model
   * (Dawid–Skene, MACE) fitted over the project's counted judgments, whose posterior then
   * fills `agreement` and is held to `minPosterior` instead of `minAgreement`.
   */
  consensus: z.enum(["majority", "dawid-skene", "mace"]).default("majority"),
  /** Minimum posterior of the model's label (model-based consensus only; adjudicated tasks are exempt). */
  minPosterior: z.number().min(0).max(1).default(0.8),
  /** Leave out pairs whose consensus is "slightly better". */
  dropSlightlyBetter: z.boolean().default(false),
  unsafeRule: z.enum(["drop", "flip"]).default("drop"),
  /** Also emit safe-over-unsafe pairs (`pair_source: "safety"`). */
  safetyPairs: z.boolean().default(false),
  /**
   * Whether a reply that a strict majority of counted judgments flags for a role-play
   * fault may be `chosen` (the project's `allowRoleplayFlaggedChosen`; by default it may not).
   */
  allowRoleplayFlaggedChosen: z.boolean().default(false),
  marginScale: z.enum(["small", "large"]).default("small"),
  /** Percentage of conversations in the test split (0..100). */
  testPercent: z.number().int().min(0).max(100).default(10),
  /** Salt (seed) of the split hash. */
  salt: z.string().default(""),
  /** Language used when an item has none (otherwise detected from the text). */
  defaultLanguage: z.string().min(1).optional(),
});

/** A fully resolved export policy (every default filled in). */
export type ExportPolicy = z.output<typeof exportPolicySchema>;
/** Policy as a caller may give it: any field may be left out. */
export type ExportPolicyInput = z.input<typeof exportPolicySchema>;

/** Fills in the defaults and validates a policy (throws a ZodError on bad input). */
export function resolvePolicy(input: ExportPolicyInput = {}): ExportPolicy {
  return exportPolicySchema.parse(input);
}

// ---------------------------------------------------------------------------
// Output rows
// ---------------------------------------------------------------------------

/** A chat message as written to the files (only these three roles are used). */
export interface ChatMessage {
  readonly role: "system" | "user" | "assistant";
  readonly content: string;
}

/**
 * Where a pair comes from. Live sessions add `swipe` (the chosen reply over a reply the
 * annotator regenerated away) and `edit` (the annotator's edit over the reply it rewrote,
 * or a reply they wrote over replies all judged unacceptable).
 */
export type PairSource = "pairwise" | "kwise" | "safety" | "swipe" | "edit";
/** The pair sources every static export counts (the live-only ones are counted when present). */
export type StaticPairSource = "pairwise" | "kwise" | "safety";

/**
 * Consensus strength bucket of a row. Pairwise rows use the preference levels;
 * K-wise rows `ranked_higher`; safety pairs `safety`; ties rows `tie` or
 * `both_unacceptable`.
 */
export type StrengthLevel =
  | "much_better"
  | "better"
  | "slightly_better"
  | "tie"
  | "both_unacceptable"
  | "ranked_higher"
  | "safety"
  | "swiped"
  | "edited";

/** The flat metadata columns every row carries (never null, one JSON type each). */
export interface RowMeta {
  /** Unique row id: `<taskId>/<chosenId>><rejectedId>` (KTO: `<taskId>/<candidateId>`; ties: `<taskId>/<a>=<b>` or `<taskId>/unacceptable`). */
  id: string;
  /** 16 hex digits of sha256 over the conversational prompt; shared by every row of one prompt. */
  prompt_id: string;
  /** The item's external id. */
  item_id: string;
  /** Character name. */
  character: string;
  /** How strongly `chosen` is preferred: mean |strength| of the majority side (K-wise: mean-rank gap); 0 for ties. */
  strength: number;
  strength_level: StrengthLevel;
  /** Number of counted judgments of the task. */
  n_annotators: number;
  /** Share of counted judgments agreeing with the consensus (0..1, 4 decimals). */
  agreement: number;
  pair_source: PairSource;
  language: string;
}

/** A reply message whose text is held as JSON bytes (see {@link ExportCandidate.contentJson}); written like a {@link ChatMessage}. */
export interface JsonReplyMessage {
  readonly role: "assistant";
  readonly content: JsonText;
}

/** The prompt / completion fields in either format. */
export type PromptField = ChatMessage[] | string;
/** A completion: as a string / messages, or (from a loader that has reply bytes) as {@link JsonText} in the same places. */
export type CompletionField = ChatMessage[] | string | JsonReplyMessage[] | JsonText;

/** A DPO row: `{prompt, chosen, rejected}` plus metadata. */
export interface DpoRow extends RowMeta {
  prompt: PromptField;
  chosen: CompletionField;
  rejected: CompletionField;
  chosen_model: string;
  rejected_model: string;
}

/** A reward-model row: a DPO row plus a numeric `margin`. */
export interface RmRow extends DpoRow {
  margin: number;
}

/** A KTO row for TRL's KTOTrainer (unpaired); `model` names the completion's model. */
export interface KtoRow extends RowMeta {
  prompt: PromptField;
  completion: CompletionField;
  label: boolean;
  model: string;
}

/** A row of `ties.jsonl`: replies with no usable preference (tie or all unacceptable). */
export interface TieRow extends RowMeta {
  prompt: PromptField;
  /** The replies concerned, in canonical order. */
  responses: CompletionField[];
  /** Their models, in the same order. */
  models: string[];
  outcome: "tie" | "both_unacceptable";
}

/** Any row the builders produce. */
export type ExportRow = DpoRow | RmRow | KtoRow | TieRow;

// ---------------------------------------------------------------------------
// Drop / routing reasons
// ---------------------------------------------------------------------------

/**
 * Why a whole task gave no training rows. `tie` and `both_unacceptable` tasks are
 * routed to `ties.jsonl`; every other reason leaves the task out entirely.
 */
export const TASK_DROP_REASONS = [
  "gold",
  "invalid_prompt",
  "too_few_judgments",
  "no_majority",
  "low_agreement",
  "tie",
  "both_unacceptable",
] as const;
export type TaskDropReason = (typeof TASK_DROP_REASONS)[number];

/**
 * Why one candidate pair of an otherwise usable task gave no training row.
 * `tied_ranks` pairs (equal mean rank in a K-wise task) are routed to `ties.jsonl`.
 */
export const PAIR_DROP_REASONS = [
  "slightly_better",
  "unsafe_chosen",
  "roleplay_flagged_chosen",
  "low_agreement",
  "tied_ranks",
  "identical_replies",
] as const;
export type PairDropReason = (typeof PAIR_DROP_REASONS)[number];
