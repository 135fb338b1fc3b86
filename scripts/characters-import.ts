/** `npm run characters:import -- [--user-name NAME] [--force] FILE…` */
import { readFile, stat } from "node:fs/promises";
import { basename } from "node:path";
import { getDb } from "@/db/client";
import { AppError } from "@/lib/errors";
import { CARD_IMPORT_LIMITS, importCharacterCards } from "@/lib/services/characters";
import { fail, parseCli } from "./lib/cli";
import { assertLocalOrForced, openDatabase } from "./lib/database";

const USAGE = `Usage: npm run characters:import -- [--user-name NAME] [--force] FILE…

Imports Character Card V2/V3 files (SillyTavern and the card sites; V1 too) as characters:
JSON files, or PNG images carrying the card in a "chara" (V2) or "ccv3" (V3) text chunk.
Name, description, personality, scenario, greetings, example dialogues, creator notes, tags
and the lorebook become the character's profile; other fields are kept under "Character
card" (docs/character-cards.md). {{char}} becomes the character's name and {{user}} the
user's. All or nothing: one malformed card refuses the import, naming the file and the
field. A card already imported is reported unchanged.

Options:
  --user-name NAME  what {{user}} becomes (default: "User", or "用户" for a Chinese card)
  --force           allow a non-local database (DATABASE_URL on another host)
  --help            this text

Exit status: 0 imported, 1 refused or failed, 2 bad usage.`;

const { values, positionals } = parseCli(USAGE, {
  "user-name": { type: "string" },
  force: { type: "boolean" },
});

async function readFiles(paths: string[]) {
  const files = [];
  for (const path of paths) {
    const info = await stat(path).catch(() => null);
    if (!info?.isFile()) throw new AppError("VALIDATION", `${path}: cannot read the file`);
    if (info.size > CARD_IMPORT_LIMITS.maxFileBytes)
      throw new AppError("PAYLOAD_TOO_LARGE", `${path}: the file is larger than ${CARD_IMPORT_LIMITS.maxFileBytes / 1_048_576} MB`);
    files.push({ name: basename(path), bytes: new Uint8Array(await readFile(path)) });
  }
  return files;
}

if (positionals.length === 0) {
  fail(`give at least one card FILE.\n\n${USAGE}`, 2);
} else {
  try {
    const files = await readFiles(positionals);
    const db = await openDatabase({ migrate: true, quiet: true });
    try {
      assertLocalOrForced(db.url, Boolean(values.force));
      const { characters } = await importCharacterCards({ db: getDb(), actor: null }, { files, userName: values["user-name"] });
      for (const c of characters)
        console.log(
          `${c.file}: ${c.status === "created" ? "created" : "already there,"} character ${c.id} "${c.name}" (${c.spec}, ${c.source})`,
        );
      const created = characters.filter((c) => c.status === "created").length;
      console.log(
        `Imported ${characters.length} card${characters.length === 1 ? "" : "s"}: ${created} created, ${characters.length - created} unchanged.`,
      );
    } finally {
      await db.close();
    }
  } catch (error) {
    if (error instanceof AppError) fail(`characters:import: ${error.message}; nothing was imported.`);
    else fail(`characters:import failed: ${(error as Error).message}`);
  }
}
