import { z } from "zod";
import { CardProfile, InlineCharacter } from "./import";

/** A character as created or edited in the UI: the same name + profile rules as an import line. */
export const CharacterInput = InlineCharacter;
export type CharacterInput = z.infer<typeof CharacterInput>;

export const UpdateCharacterInput = z.object({ id: z.coerce.number().int().positive(), character: CharacterInput });

/** The profile editor sends JSON text; this parses it and names the field on failure. */
export const CharacterFormInput = z.object({
  name: z.string(),
  profileJson: z.string().max(200_000),
});

/** A character made from a character card: an inline character whose profile may be larger. */
export const CardCharacterInput = z.strictObject({ name: InlineCharacter.shape.name, profile: CardProfile });
export type CardCharacterInput = z.infer<typeof CardCharacterInput>;
