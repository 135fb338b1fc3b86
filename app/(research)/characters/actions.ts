"use server";

import { serviceAction } from "@/lib/actions";
import { createCharacter, parseCharacterForm, updateCharacter } from "@/lib/services/characters";

export async function saveCharacterAction(input: { id?: number; name: string; profileJson: string }) {
  return serviceAction(
    "character.write",
    async (ctx) => {
      const character = parseCharacterForm({ name: input.name, profileJson: input.profileJson });
      const saved = input.id ? await updateCharacter(ctx, { id: input.id, character }) : await createCharacter(ctx, character);
      return { id: saved.id };
    },
    ["/characters"],
  );
}
