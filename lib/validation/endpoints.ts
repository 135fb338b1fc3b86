/**
 * Model endpoints and generation requests at every boundary (form, action, route, CLI).
 * Messages name the field.
 */
import { z } from "zod";

const emptyToUndefined = (v: unknown) => (v === "" || v === null ? undefined : v);
const optionalNumber = (schema: z.ZodNumber) =>
  z.preprocess(emptyToUndefined, z.coerce.number({ message: "must be a number" }).pipe(schema).optional());
const wholeNumber = (notWhole: string) => z.coerce.number({ message: "must be a number" }).int({ message: notWhole });
/** A whole number a form may leave empty (then absent); `bounds` adds its range and its default or optionality. */
const formInteger = <T extends z.ZodType>(bounds: (n: ReturnType<typeof wholeNumber>) => T, notWhole = "must be a whole number") =>
  z.preprocess(emptyToUndefined, bounds(wholeNumber(notWhole)));

/** Default sampling parameters: the request's own names, every one optional. */
export const SamplingParamsInput = z.strictObject(
  {
    temperature: optionalNumber(z.number().min(0, { message: "must be between 0 and 2" }).max(2, { message: "must be between 0 and 2" })),
    top_p: optionalNumber(
      z.number().gt(0, { message: "must be above 0 and at most 1" }).max(1, { message: "must be above 0 and at most 1" }),
    ),
    max_tokens: optionalNumber(
      z
        .number()
        .int({ message: "must be a whole number" })
        .min(1, { message: "must be at least 1" })
        .max(131_072, { message: "must be at most 131072" }),
    ),
    stop: z.preprocess(
      (v) => (typeof v === "string" ? (v === "" ? undefined : [v]) : emptyToUndefined(v)),
      z
        .array(z.string().min(1, { message: "must not be empty" }).max(200), { message: "must be a list of strings" })
        .max(4, { message: "at most 4 stop sequences" })
        .optional(),
    ),
    seed: optionalNumber(
      z
        .number()
        .int({ message: "must be a whole number" })
        .min(0, { message: "must be 0 or more" })
        .max(2 ** 31 - 1, { message: "must be below 2^31" }),
    ),
    presence_penalty: optionalNumber(
      z.number().min(-2, { message: "must be between -2 and 2" }).max(2, { message: "must be between -2 and 2" }),
    ),
    frequency_penalty: optionalNumber(
      z.number().min(-2, { message: "must be between -2 and 2" }).max(2, { message: "must be between -2 and 2" }),
    ),
  },
  {
    error: (issue) =>
      issue.code === "unrecognized_keys"
        ? `unknown parameter (known: temperature, top_p, max_tokens, stop, seed, presence_penalty, frequency_penalty)`
        : "must be an object",
  },
);
export type SamplingParamsInput = z.infer<typeof SamplingParamsInput>;

/** An endpoint as an admin registers it. */
export const EndpointInput = z.object({
  name: z
    .string({ message: "is required" })
    .trim()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, {
      message: "letters, digits, '.', '_' and '-' (up to 64, starting with a letter or digit)",
    }),
  baseUrl: z
    .string({ message: "is required" })
    .trim()
    .max(2000, { message: "at most 2000 characters" })
    .refine((v) => /^https?:\/\/[^\s]+$/i.test(v), { message: "must be an http:// or https:// URL (the API root, usually ending in /v1)" })
    .transform((v) => v.replace(/\/+$/, "").replace(/\/chat\/completions$/, "")),
  model: z.string({ message: "is required" }).trim().min(1, { message: "is required" }).max(200, { message: "at most 200 characters" }),
  apiKeyEnv: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .trim()
      .regex(/^[A-Za-z_][A-Za-z0-9_]{0,127}$/, {
        message: "must be the NAME of an environment variable (e.g. OPENAI_API_KEY), never the key itself",
      })
      .optional(),
  ),
  params: z.preprocess((v) => v ?? {}, SamplingParamsInput),
  timeoutS: formInteger(
    (n) => n.min(1, { message: "at least 1 second" }).max(3600, { message: "at most 3600 seconds" }).default(120),
    "must be a whole number of seconds",
  ),
  concurrency: formInteger((n) => n.min(1, { message: "at least 1" }).max(1024, { message: "at most 1024" }).default(4)),
  rpm: formInteger((n) => n.min(1, { message: "at least 1 (leave empty for no limit)" }).max(1_000_000).optional()),
});
export type EndpointInput = z.infer<typeof EndpointInput>;

/** `key=value` pairs of the CLI's `--param` into a params object (numbers parsed, `stop` a list). */
export function paramsFromPairs(pairs: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const pair of pairs) {
    const at = pair.indexOf("=");
    if (at <= 0) throw new TypeError(`--param ${pair}: expected key=value`);
    const key = pair.slice(0, at).trim();
    const value = pair.slice(at + 1);
    if (key === "stop") out.stop = [...((out.stop as string[] | undefined) ?? []), value];
    else out[key] = /^-?\d+(\.\d+)?$/.test(value.trim()) ? Number(value) : value;
  }
  return out;
}

/** A "fill candidates" request. */
export const GenerationRequest = z.object({
  endpoints: z
    .array(z.string({ message: "must be endpoint names" }).trim().min(1, { message: "must not be empty" }), {
      message: "must be a list of endpoint names",
    })
    .min(1, { message: "choose at least one endpoint" })
    .max(8, { message: "at most 8 endpoints per job" })
    .transform((names) => [...new Set(names)]),
  samples: z.preprocess(
    emptyToUndefined,
    z.coerce
      .number({ message: "must be a number" })
      .int({ message: "must be a whole number" })
      .min(1, { message: "at least 1" })
      .max(8, { message: "at most 8" })
      .default(1),
  ),
  onlyMissing: z.preprocess((v) => v === "on" || v === "true" || v === true, z.boolean()).default(false),
  /** Only these items (external ids); all items when absent. */
  externalIds: z.array(z.string().trim().min(1).max(200)).max(100_000).optional(),
  /** Overrides of the endpoints' default parameters for this job. */
  params: z.preprocess((v) => v ?? {}, SamplingParamsInput).default({}),
});
export type GenerationRequest = z.infer<typeof GenerationRequest>;
