/**
 * The skip reasons, without zod: the annotator's form imports this in the browser, where
 * zod's JIT probe (`Function("")`) would trip the pages' CSP (no 'unsafe-eval').
 */
export const SKIP_REASONS = ["cannot_judge", "broken_content", "other"] as const;
export type SkipReason = (typeof SKIP_REASONS)[number];
