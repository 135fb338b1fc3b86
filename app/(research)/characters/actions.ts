"use server";

import { revalidatePath } from "next/cache";
import { getDb } from "@/db/client";
import { runAction } from "@/lib/actions";
import { actorFor } from "@/lib/auth/session";
import { createCharacter, parseCharacterForm, updateCharacter } from "@/lib/services/characters";

export async function saveCharacterAction(input: { id?: number; name: string; profileJson: string }) {
  return runAction(async () => {
    const actor = await actorFor("character.write");
    const character = parseCharacterForm({ name: input.name, profileJson: input.profileJson });
    const saved = input.id
      ? await updateCharacter({ db: getDb(), actor }, { id: input.id, character })
      : await createCharacter({ db: getDb(), actor }, character);
    revalidatePath("/characters");
    return { id: saved.id };
  });
}
