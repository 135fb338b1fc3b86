/**
 * .env.example lists every environment variable the code reads, and nothing else: the
 * source (app, components, lib, db, scripts, tests, config files) is scanned for
 * `process.env.NAME`, `process.env["NAME"]`, `env.NAME` and `…FromEnv("NAME")`, and the
 * result compared with the names .env.example documents (commented out or not).
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { expect, it } from "vitest";

const root = path.resolve(import.meta.dirname, "../..");
const FOLDERS = ["app", "components", "lib", "db", "scripts", "tests"];
const FILES = [
  "proxy.ts",
  "next.config.js",
  "playwright.config.ts",
  "vitest.config.ts",
  "vitest.production.config.ts",
  "drizzle.config.ts",
];

/** Set by the tools, not by whoever runs the app. */
const NOT_CONFIGURATION = new Set(["NODE_ENV", "CI", "VERCEL"]);

/**
 * Documented as examples of names an administrator chooses: an endpoint's API key is read
 * from the variable its registration names (`--api-key-env`), so no source line spells it.
 */
const NAMED_BY_CONFIGURATION = new Set(["OPENAI_API_KEY"]);

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    // This file's own patterns are not variables.
    if (name === "node_modules" || name === "fixtures" || name === "env-example.test.ts") return [];
    if (statSync(full).isDirectory()) return sources(full);
    return /\.(ts|tsx|js|mjs)$/.test(name) ? [full] : [];
  });
}

function variablesRead(): Set<string> {
  const files = [...FOLDERS.flatMap((f) => sources(path.join(root, f))), ...FILES.map((f) => path.join(root, f))];
  const found = new Set<string>();
  const patterns = [
    /process\.env\.([A-Z][A-Z0-9_]*)/g,
    /process\.env\[["']([A-Z][A-Z0-9_]*)["']\]/g,
    /\benv\.([A-Z][A-Z0-9_]*)/g,
    /[a-zA-Z]FromEnv\(["']([A-Z][A-Z0-9_]*)["']/g,
    /\benvFlag\(["']([A-Z][A-Z0-9_]*)["']/g,
  ];
  for (const file of files) {
    let text: string;
    try {
      text = readFileSync(file, "utf8");
    } catch {
      continue;
    }
    for (const pattern of patterns) for (const m of text.matchAll(pattern)) found.add(m[1]!);
  }
  for (const name of NOT_CONFIGURATION) found.delete(name);
  return found;
}

function variablesDocumented(): Set<string> {
  const text = readFileSync(path.join(root, ".env.example"), "utf8");
  return new Set([...text.matchAll(/^#?\s*([A-Z][A-Z0-9_]*)=/gm)].map((m) => m[1]!));
}

it("documents every environment variable the code reads, and only those", () => {
  const read = [...variablesRead()].sort();
  const documented = [...variablesDocumented()].sort();
  expect(
    read.filter((n) => !documented.includes(n)),
    "read by the code but missing from .env.example",
  ).toEqual([]);
  expect(
    documented.filter((n) => !read.includes(n) && !NAMED_BY_CONFIGURATION.has(n)),
    "in .env.example but read nowhere",
  ).toEqual([]);
});
