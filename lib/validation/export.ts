/**
 * Export options as the CLI (`--min-agreement 0.75`) and the export API
 * (`?min-agreement=0.75`) spell them, mapped onto the pure layer's policy
 * (`exportPolicySchema`, lib/domain/export/types.ts). One mapping, so that both boundaries
 * accept the same names and their errors name the option the user typed.
 */
import { z } from "zod";
import type { ExportFormPolicy } from "@/components/research/export-form";
import { exportPolicySchema, type ExportPolicyInput } from "@/lib/domain/export/types";
import { AppError, validationError } from "@/lib/errors";
import { storableProblems } from "./storable";

/** Every export kind: the three training kinds, the raw judgments, and (live projects) the session trees. */
export const EXPORT_KINDS = ["dpo", "rm", "kto", "raw", "tree"] as const;
export const ExportKindParam = z.enum(EXPORT_KINDS, { error: `must be one of ${EXPORT_KINDS.join(", ")}` });
export type ExportKindParam = z.infer<typeof ExportKindParam>;

export const ExportSplitParam = z.enum(["train", "test"], { error: "must be train or test" });

/** The policy without its kind (the kind is chosen separately); unknown keys refused. */
export const ExportPolicyOptions = exportPolicySchema.omit({ kind: true }).strict();
export type ExportPolicyOptions = Omit<ExportPolicyInput, "kind">;

type Converter = "string" | "integer" | "number" | "boolean";

/** Option name (CLI flag without dashes / query parameter) → policy key and type. */
export const POLICY_OPTIONS: Readonly<Record<string, { key: keyof ExportPolicyOptions; type: Converter }>> = {
  format: { key: "format", type: "string" },
  "min-judgments": { key: "minJudgments", type: "integer" },
  "min-agreement": { key: "minAgreement", type: "number" },
  consensus: { key: "consensus", type: "string" },
  "min-posterior": { key: "minPosterior", type: "number" },
  "test-percent": { key: "testPercent", type: "integer" },
  seed: { key: "salt", type: "string" },
  "margin-scale": { key: "marginScale", type: "string" },
  "drop-slightly-better": { key: "dropSlightlyBetter", type: "boolean" },
  "safety-pairs": { key: "safetyPairs", type: "boolean" },
  "unsafe-rule": { key: "unsafeRule", type: "string" },
  "default-language": { key: "defaultLanguage", type: "string" },
};

const OPTION_OF_KEY = new Map(Object.entries(POLICY_OPTIONS).map(([option, { key }]) => [key as string, option]));

/** The option name a policy key is given by (`minAgreement` → `min-agreement`). */
export function optionNameOf(key: string): string {
  return OPTION_OF_KEY.get(key) ?? key;
}

function convert(value: string | boolean, type: Converter): unknown {
  if (type === "boolean") {
    if (typeof value === "boolean") return value;
    const v = value.trim().toLowerCase();
    if (v === "" || v === "true" || v === "1" || v === "yes") return true;
    if (v === "false" || v === "0" || v === "no") return false;
    return value; // zod names it: "expected boolean"
  }
  if (typeof value === "boolean") return value;
  if (type === "integer" || type === "number") {
    // Anything that is not a plain decimal stays a string, so zod reports it by name.
    return /^-?\d+(\.\d+)?$/.test(value.trim()) ? Number(value) : value;
  }
  return value;
}

/**
 * Builds and validates a policy from option values (`{"min-agreement": "0.75", …}`).
 * Options left undefined take the pure layer's defaults. Throws a VALIDATION AppError
 * whose fields and message name the options (`min-agreement: Too big: expected number to be <=1`).
 */
export function policyFromOptions(values: Readonly<Record<string, string | boolean | undefined>>): ExportPolicyOptions {
  const input: Record<string, unknown> = {};
  for (const [option, { key, type }] of Object.entries(POLICY_OPTIONS)) {
    const value = values[option];
    if (value === undefined) continue;
    input[key] = convert(value, type);
  }
  return parsePolicyOptions(input);
}

/** Validates an already-shaped policy (camelCase keys); errors name the options. */
export function parsePolicyOptions(input: unknown): ExportPolicyOptions {
  const problems = storableProblems(input);
  if (problems.length > 0)
    throw validationError(problems.map((p) => ({ ...p, path: p.path.map((k, i) => (i === 0 ? optionNameOf(String(k)) : k)) })));
  const result = ExportPolicyOptions.safeParse(input ?? {});
  if (result.success) return result.data;
  const fields: Record<string, string[]> = Object.create(null) as Record<string, string[]>;
  for (const issue of result.error.issues) {
    const keys = issue.code === "unrecognized_keys" ? (issue as { keys: string[] }).keys : [issue.path.map(String).join(".") || "(root)"];
    for (const key of keys) {
      const name = optionNameOf(key);
      (fields[name] ??= []).push(issue.code === "unrecognized_keys" ? "is not an export option" : issue.message);
    }
  }
  const [first] = Object.entries(fields);
  throw new AppError("VALIDATION", first ? `${first[0]}: ${first[1][0]}` : "Invalid export options.", { ...fields });
}

/** The form's starting values: the schema's defaults, field by field. */
export function initialFormPolicy(): ExportFormPolicy {
  const d = exportPolicySchema.parse({});
  return {
    format: d.format,
    minJudgments: d.minJudgments,
    minAgreement: d.minAgreement,
    consensus: d.consensus,
    minPosterior: d.minPosterior,
    testPercent: d.testPercent,
    salt: d.salt,
    marginScale: d.marginScale,
    dropSlightlyBetter: d.dropSlightlyBetter,
    safetyPairs: d.safetyPairs,
  };
}
