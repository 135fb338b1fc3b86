/**
 * Train/test split by conversation.
 *
 * Rule: `bucket = int(sha256_hex(salt + conversationKey), 16) mod 100` (the whole
 * 256-bit digest of the UTF-8 bytes, read as a big-endian unsigned integer);
 * `bucket < testPercent` → test, otherwise train.
 *
 * The conversation key is `characterName + "\u001f" + firstUserTurn`, where
 * `firstUserTurn` is the content of the first user message of the built prompt
 * (after merging consecutive user turns and folding an opening greeting). A dialogue
 * that extends another one (same character, the other's turns as its prefix) has
 * the same first user turn, so both land in the same split; so do identical prompts
 * of different items. Reproduce in Python:
 * `int(hashlib.sha256((salt + name + "\x1f" + first_user).encode()).hexdigest(), 16) % 100`.
 */
import { hexModulo, sha256OfText } from "@/lib/domain/export/hash";

/** Which file a task's rows go to. */
export type Split = "train" | "test";

/** Human-readable statement of the split rule, for the manifest and the dataset card. */
export const SPLIT_RULE =
  'int(sha256(salt + conversation_key).hexdigest(), 16) % 100 < test_percent -> test; conversation_key = character name + "\\u001f" + first user turn';

/**
 * The conversation key of a dialogue: character name, U+001F, then the first
 * user turn (after merging consecutive user turns; see the module comment).
 */
export function conversationKey(characterName: string, firstUserTurn: string): string {
  return `${characterName}\u001f${firstUserTurn}`;
}

/** `int(sha256(salt + key)) mod 100`, a number in 0..99. */
export function splitBucket(salt: string, key: string): number {
  return hexModulo(sha256OfText(salt + key), 100);
}

/** The split of a conversation: `test` when its bucket is below `testPercent` (0..100). */
export function assignSplit(key: string, salt: string, testPercent: number): Split {
  return splitBucket(salt, key) < testPercent ? "test" : "train";
}
