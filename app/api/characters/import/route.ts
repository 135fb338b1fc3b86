import { AppError } from "@/lib/errors";
import { apiRoute, noStoreJson } from "@/lib/http";
import { CARD_IMPORT_LIMITS, importCharacterCards } from "@/lib/services/characters";

export const dynamic = "force-dynamic";

/** Largest request: the per-file cap for a handful of cards (multipart framing included). */
const MAX_BODY_BYTES = 64 * 1024 * 1024;

/**
 * POST /api/characters/import — multipart/form-data with one or more `files` (Character
 * Card V2/V3 JSON, or PNG with a `chara` / `ccv3` chunk) and an optional `userName`
 * (what `{{user}}` becomes). All or nothing: 200 `{ characters: [{ file, id, name, status,
 * spec, source }] }`; 400 naming the file and field of the first bad card; 413 beyond
 * 64 MB per request or 20 MB per file.
 */
export const POST = apiRoute("character.write", async ({ request, ctx }) => {
  const declared = Number(request.headers.get("content-length") ?? NaN);
  if (Number.isFinite(declared) && declared > MAX_BODY_BYTES) {
    throw new AppError("PAYLOAD_TOO_LARGE", `The upload is larger than ${MAX_BODY_BYTES / 1_048_576} MB; import fewer cards at once.`);
  }
  let form: FormData;
  try {
    form = await request.formData();
  } catch {
    throw new AppError("VALIDATION", "files: send the cards as multipart/form-data", { files: ["send the cards as multipart/form-data"] });
  }
  const files = [];
  for (const entry of form.getAll("files")) {
    if (typeof entry === "string") continue;
    if (entry.size > CARD_IMPORT_LIMITS.maxFileBytes) {
      throw new AppError("PAYLOAD_TOO_LARGE", `${entry.name}: the file is larger than ${CARD_IMPORT_LIMITS.maxFileBytes / 1_048_576} MB`);
    }
    files.push({ name: entry.name || "card", bytes: new Uint8Array(await entry.arrayBuffer()) });
  }
  const userName = form.get("userName");
  const result = await importCharacterCards(ctx, {
    files,
    userName: typeof userName === "string" && userName.trim() !== "" ? userName : undefined,
  });
  return noStoreJson(result);
});
