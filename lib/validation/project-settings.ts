import { z } from "zod";
import { DIMENSION_KEYS } from "@/lib/domain/dimensions";
import { SELECTION_POLICIES } from "@/lib/domain/live/selection";
import { SCALE_POINTS } from "@/lib/domain/preference";

/**
 * The settings of a live project: who the annotator meets, which endpoints answer and how
 * many replies each turn compares. Characters and endpoints are database ids (the CLI and
 * the UI take names and resolve them).
 */
export const LiveSettings = z
  .object({
    /** The character pool; a session draws one uniformly. */
    characterIds: z.array(z.number().int().positive()).min(1, { message: "must name at least one character" }).max(200),
    scene: z.string().trim().max(4_000).optional(),
    /** A short description of who the user plays. */
    userRole: z.string().trim().max(1_000).optional(),
    /** The endpoint pool (registry ids). */
    endpointIds: z.array(z.number().int().positive()).min(2, { message: "must name at least two endpoints" }).max(32),
    /** Candidates per turn: 2 (a pairwise judgment) to 4 (a ranking). */
    perTurn: z.number().int().min(2, { message: "must be 2, 3 or 4" }).max(4, { message: "must be 2, 3 or 4" }).default(2),
    selection: z.enum(SELECTION_POLICIES).default("uniform"),
    /** Turns a session may take (all branches together). */
    turnBudget: z.number().int().min(1).max(200).default(12),
  })
  .strict()
  .refine((l) => new Set(l.endpointIds).size === l.endpointIds.length, { path: ["endpointIds"], message: "must not repeat an endpoint" })
  .refine((l) => new Set(l.characterIds).size === l.characterIds.length, {
    path: ["characterIds"],
    message: "must not repeat a character",
  });
export type LiveSettings = z.infer<typeof LiveSettings>;

/**
 * A project's settings: one schema for the UI, the API, the CLI and the seed.
 * `mode`, `scalePoints` and `overlap` are also columns of `projects`, where the
 * database enforces them.
 */
export const ProjectSettings = z
  .object({
    mode: z.enum(["pairwise", "ranking"]).default("pairwise"),
    scalePoints: z
      .number()
      .int()
      .refine((n): n is (typeof SCALE_POINTS)[number] => (SCALE_POINTS as readonly number[]).includes(n), {
        message: "must be one of 2, 3, 5 or 7",
      })
      .default(7),
    /** Distinct annotators per task. */
    overlap: z.number().int().min(1).max(20).default(3),
    /** Rating dimensions (catalogue keys), rated 1–5 per candidate. */
    dimensions: z
      .array(z.enum(DIMENSION_KEYS, { message: `must be one of ${DIMENSION_KEYS.join(", ")}` }))
      .max(12)
      .refine((keys) => new Set(keys).size === keys.length, { message: "must not repeat a dimension" })
      .default([]),
    /** Share of gold tasks injected into an annotator's queue. */
    goldRatio: z.number().min(0).max(0.5).default(0.05),
    /** Gold accuracy an annotator must keep. */
    goldMinAccuracy: z.number().min(0).max(1).default(0.7),
    leaseMinutes: z
      .number()
      .int()
      .min(1)
      .max(24 * 60)
      .default(20),
    /** Most live leases one annotator holds at once in this project. */
    maxLeasesPerAnnotator: z.number().int().min(1).max(50).default(2),
    /** How long after submitting an annotator may still edit a judgment. */
    editWindowMinutes: z
      .number()
      .int()
      .min(0)
      .max(7 * 24 * 60)
      .default(30),
    rationale: z.enum(["off", "optional", "required_for_ties", "required_for_strong", "required"]).default("optional"),
    /** Render model replies as sanitised Markdown instead of plain text. */
    markdown: z.boolean().default(false),
    /** How items with more than two candidates become pairwise tasks. */
    pairing: z.enum(["all_pairs", "baseline"]).default("all_pairs"),
    /**
     * Which pair comes next: `uniform`, or `active` (votes go where the leaderboard's intervals
     * shrink most; docs/statistics.md, "Active pair sampling"): the engine prefers an item's
     * informative pair tasks, live sessions choose endpoints by it.
     */
    pairSampling: z.enum(["uniform", "active"], { message: "must be 'uniform' or 'active'" }).default("uniform"),
    baselineModel: z.string().trim().min(1).max(200).optional(),
    allowRankingTies: z.boolean().default(false),
    allowBothUnacceptable: z.boolean().default(true),
    safetyFlags: z.boolean().default(true),
    /**
     * Adaptive overlap: up to `extra` more judgments on a pairwise task whose consensus
     * posterior (by `method`) stays below `minPosterior` once its overlap is met. 0 = off.
     */
    adaptiveOverlap: z
      .object({
        extra: z.number().int().min(0).max(10).default(0),
        minPosterior: z.number().min(0.34).max(1).default(0.8),
        method: z.enum(["majority", "dawid-skene", "mace"]).default("dawid-skene"),
      })
      .strict()
      .default({ extra: 0, minPosterior: 0.8, method: "dawid-skene" }),
    /** Ask for role-play flags per reply (out of character, speaks for the user, reveals it is an AI). */
    roleplayFlags: z.boolean().default(true),
    /** Exports may make a reply that the consensus flags for role-play faults the `chosen` one. */
    allowRoleplayFlaggedChosen: z.boolean().default(false),
    /** Present exactly on projects of kind `live`. */
    live: LiveSettings.optional(),
  })
  .strict()
  .superRefine((s, ctx) => {
    if (s.live && (s.live.perTurn === 2) !== (s.mode === "pairwise")) {
      ctx.addIssue({
        code: "custom",
        path: ["mode"],
        message: "must be 'pairwise' for 2 candidates per turn and 'ranking' for 3 or 4",
      });
    }
    if (s.pairing === "baseline" && !s.baselineModel) {
      ctx.addIssue({
        code: "custom",
        path: ["baselineModel"],
        message: "is required when pairing is 'baseline'",
      });
    }
  });
export type ProjectSettings = z.infer<typeof ProjectSettings>;

/** The settings of a project created without any: every default above. */
export function defaultProjectSettings(): ProjectSettings {
  return ProjectSettings.parse({});
}

let defaults: ProjectSettings | undefined;

/** {@link defaultProjectSettings}, parsed once (callers must not change it). */
export function projectSettingsDefaults(): ProjectSettings {
  return (defaults ??= defaultProjectSettings());
}

/** Stored settings with the defaults for keys added after they were written. */
export function withDefaultSettings(stored: ProjectSettings): ProjectSettings {
  return { ...projectSettingsDefaults(), ...stored };
}
