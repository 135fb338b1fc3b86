/**
 * Converts CharacterEval data to Arbiter's JSONL import format.
 *
 *   npx tsx scripts/convert-charactereval.ts --help
 *
 * The conversion itself is `lib/domain/charactereval.ts`; this file reads the inputs,
 * streams the output lines (to stdout or `--out`) and reports on stderr.
 */
import { createWriteStream } from "node:fs";
import { readFile, rename, rm } from "node:fs/promises";
import { once } from "node:events";
import { parseArgs } from "node:util";
import type { Writable } from "node:stream";
import {
  asExample,
  convertExamples,
  decodeJsonOrJsonl,
  readCandidateRecords,
  readId2Metric,
  readProfiles,
  type CandidateSource,
  type ConvertOptions,
} from "@/lib/domain/charactereval";
import { IMPORT_LIMITS } from "@/lib/validation/import";

const HELP = `Convert CharacterEval dialogues to Arbiter import lines (JSONL).

Usage:
  npx tsx scripts/convert-charactereval.ts [options] DATA

DATA is CharacterEval's test_data.jsonl (a JSON array) or a JSONL file of the same
records, such as demo_slice.jsonl (whose records carry their own profile and metrics).

Options:
  --profiles FILE          character_profiles.json ({role: profile}); needed unless
                           every record has a "profile"
  --metrics FILE           id2metric.jsonl; adds each dialogue's CharacterEval metrics
                           (and the matching Arbiter dimension keys) to the item metadata
  --candidates MODEL=FILE  replies of one model, repeat per model. FILE is JSONL (or a
                           JSON array) of {"id": <dialogue id>, "response": "..."}; the
                           reply may also be in "model_output", "content", "reply" or
                           "output". Optional "version" is not read: use MODEL@VERSION=FILE.
  --reference-model NAME   hold out the character's last reply in each context and add
                           it as a candidate of model NAME. The item's context then
                           ends before that reply, so the other candidate files must
                           answer the shortened context.
  --id-prefix PREFIX       prefix of external_id (default "ce-")
  --keep-speaker-prefix    keep a leading "角色名：" in replies (default: remove it)
  --out FILE               write here (atomically, via FILE.partial) instead of stdout
  --strict                 exit with status 1 if any dialogue is skipped
  -h, --help               this text

Dialogues with fewer than ${IMPORT_LIMITS.minCandidates} candidates are skipped and listed on stderr.
Exit status: 0 on success, 1 on bad input (or skipped dialogues with --strict), 2 on
bad usage.

Example:
  npx tsx scripts/convert-charactereval.ts --profiles character_profiles.json \\
    --metrics id2metric.jsonl --candidates qwen-7b=qwen.jsonl \\
    --candidates glm3-6b=glm.jsonl --out charactereval-import.jsonl test_data.jsonl
`;

class UsageError extends Error {}
class InputError extends Error {}

async function readText(path: string, what: string): Promise<string> {
  try {
    return await readFile(path, "utf8");
  } catch (err) {
    throw new InputError(`cannot read ${what} "${path}": ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
}

function decode(text: string, what: string) {
  try {
    return decodeJsonOrJsonl(text, what);
  } catch (err) {
    throw new InputError((err as Error).message);
  }
}

function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text.startsWith("\uFEFF") ? text.slice(1) : text);
  } catch (err) {
    throw new InputError(`${what} is not valid JSON: ${(err as Error).message}`);
  }
}

async function write(out: Writable, text: string): Promise<void> {
  if (!out.write(text)) await once(out, "drain");
}

async function main(argv: string[]): Promise<number> {
  // biome-ignore lint/suspicious/noImplicitAnyLet: typed by the parseArgs call below (its type depends on the options given)
  let args;
  try {
    args = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        profiles: { type: "string" },
        metrics: { type: "string" },
        candidates: { type: "string", multiple: true },
        "reference-model": { type: "string" },
        "id-prefix": { type: "string" },
        "keep-speaker-prefix": { type: "boolean" },
        out: { type: "string" },
        strict: { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
    });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const v = args.values;
  if (v.help) {
    process.stdout.write(HELP);
    return 0;
  }
  if (args.positionals.length !== 1) throw new UsageError("give exactly one DATA file");
  const dataPath = args.positionals[0] as string;

  const specs = v.candidates ?? [];
  const reference = v["reference-model"]?.trim();
  if (v["reference-model"] !== undefined && !reference) throw new UsageError("--reference-model needs a name");
  const slots = specs.length + (reference ? 1 : 0);
  if (slots < IMPORT_LIMITS.minCandidates)
    throw new UsageError(
      `need at least ${IMPORT_LIMITS.minCandidates} candidate sources (--candidates MODEL=FILE, --reference-model NAME); got ${slots}`,
    );
  if (slots > IMPORT_LIMITS.maxCandidates)
    throw new UsageError(`at most ${IMPORT_LIMITS.maxCandidates} candidate sources are allowed; got ${slots}`);

  const candidates: CandidateSource[] = [];
  const models = new Set<string>(reference ? [reference] : []);
  for (const spec of specs) {
    const eq = spec.indexOf("=");
    if (eq <= 0 || eq === spec.length - 1) throw new UsageError(`--candidates "${spec}": expected MODEL=FILE`);
    const [model, version] = spec.slice(0, eq).trim().split("@", 2) as [string, string | undefined];
    const file = spec.slice(eq + 1);
    if (!model) throw new UsageError(`--candidates "${spec}": the model name is empty`);
    if (models.has(model)) throw new UsageError(`model "${model}" is given twice`);
    models.add(model);
    const { replies, problems } = readCandidateRecords(decode(await readText(file, "candidate file"), file));
    if (problems.length > 0)
      throw new InputError(`candidate file ${file} (${model}): ${problems.length} problem(s):\n  ${problems.slice(0, 20).join("\n  ")}`);
    candidates.push({ model, ...(version ? { version } : {}), replies });
  }

  const opts: ConvertOptions = {
    candidates,
    ...(reference ? { referenceModel: reference } : {}),
    ...(v["id-prefix"] !== undefined ? { idPrefix: v["id-prefix"] } : {}),
    ...(v["keep-speaker-prefix"] ? { keepSpeakerPrefix: true } : {}),
  };
  if (v.profiles) opts.profiles = readProfilesOrThrow(parseJson(await readText(v.profiles, "profiles"), v.profiles));
  if (v.metrics) {
    try {
      opts.metrics = readId2Metric(parseJson(await readText(v.metrics, "metrics file"), v.metrics));
    } catch (err) {
      throw err instanceof InputError ? err : new InputError(`${v.metrics}: ${(err as Error).message}`);
    }
  }

  const records = decode(await readText(dataPath, "data file"), dataPath);
  if (records.length === 0) throw new InputError(`${dataPath} contains no dialogues`);
  const malformed: string[] = [];
  for (const r of records) {
    const e = asExample(r.value);
    if (!e.ok) malformed.push(`record ${r.position}: ${e.reason}`);
  }
  if (malformed.length > 0)
    throw new InputError(
      `${dataPath} is not CharacterEval data ({id, role, context, ...} records): ${malformed.length} bad record(s):\n  ${malformed.slice(0, 20).join("\n  ")}`,
    );
  const examples = records.map((r) => r.value);

  const target = v.out;
  const partial = target ? `${target}.partial` : null;
  const out: Writable = partial ? createWriteStream(partial, { encoding: "utf8" }) : process.stdout;
  let converted = 0;
  const skipped: { id: string; role: string; reason: string }[] = [];
  const roles = new Set<string>();
  const used = new Set<string>();
  try {
    for (const r of convertExamples(examples, opts)) {
      used.add(r.id);
      if (r.ok) {
        converted += 1;
        roles.add(r.role);
        await write(out, `${JSON.stringify(r.line)}\n`);
      } else skipped.push(r);
    }
    if (partial) {
      out.end();
      await once(out, "finish");
      await rename(partial, target as string);
    }
  } catch (err) {
    if (partial) {
      out.destroy();
      await rm(partial, { force: true });
    }
    throw err;
  }

  const log = (s: string) => process.stderr.write(`${s}\n`);
  log(`converted ${converted} of ${examples.length} dialogues (${roles.size} characters)${target ? ` to ${target}` : ""}`);
  if (skipped.length > 0) {
    log(`skipped ${skipped.length}:`);
    for (const s of skipped.slice(0, 20)) log(`  ${s.id} (${s.role || "?"}): ${s.reason}`);
    if (skipped.length > 20) log(`  … and ${skipped.length - 20} more`);
  }
  for (const c of candidates) {
    const unused = [...c.replies.keys()].filter((id) => !used.has(id)).length;
    if (unused > 0) log(`warning: ${unused} reply(ies) of ${c.model} match no dialogue id in ${dataPath}`);
  }
  if (converted === 0) {
    log("error: no dialogue could be converted");
    return 1;
  }
  return v.strict && skipped.length > 0 ? 1 : 0;
}

function readProfilesOrThrow(value: unknown) {
  try {
    return readProfiles(value);
  } catch (err) {
    throw new InputError((err as Error).message);
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    if (err instanceof UsageError) {
      process.stderr.write(`error: ${err.message}\nRun with --help for usage.\n`);
      process.exitCode = 2;
    } else if (err instanceof InputError) {
      process.stderr.write(`error: ${err.message}\n`);
      process.exitCode = 1;
    } else {
      process.stderr.write(`error: ${(err as Error).stack ?? String(err)}\n`);
      process.exitCode = 1;
    }
  },
);
