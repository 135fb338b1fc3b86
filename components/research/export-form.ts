/**
 * The export page's form state and the request it sends. Its defaults come from the one
 * policy schema (initialFormPolicy in lib/validation/export.ts, computed on the server: no
 * zod in the browser), as the CLI's and the API's do, so a bundle
 * built from the page with untouched settings is byte-identical to the same request by
 * CLI or API (same split salt, same agreement threshold).
 */

export type ExportFormPolicy = {
  format: "conversational" | "standard";
  minJudgments: number;
  minAgreement: number;
  consensus: "majority" | "dawid-skene" | "mace";
  minPosterior: number;
  testPercent: number;
  salt: string;
  marginScale: "small" | "large";
  dropSlightlyBetter: boolean;
  safetyPairs: boolean;
};

/** The JSON body of a preview or build request (raw takes no policy). */
export function exportRequestBody(kind: string, policy: ExportFormPolicy): string {
  return JSON.stringify({
    kind,
    policy: kind === "raw" ? {} : { ...policy, minAgreement: Number(policy.minAgreement), minPosterior: Number(policy.minPosterior) },
  });
}
