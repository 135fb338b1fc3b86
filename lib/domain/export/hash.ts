/**
 * sha256 for the per-task hashes of an export (prompt ids, split buckets): the one-shot
 * `crypto.hash` where Node has it (20.12+), about twice as fast as a Hash object for
 * short inputs, else `createHash`. Same digests either way.
 */
import crypto from "node:crypto";

const oneShot = (crypto as { hash?: (algorithm: string, data: string, encoding: "hex") => string }).hash;

/** Hex sha256 of a string's UTF-8 bytes. */
export function sha256OfText(text: string): string {
  return oneShot ? oneShot("sha256", text, "hex") : crypto.createHash("sha256").update(text, "utf8").digest("hex");
}

/** A hex digest read as one big-endian unsigned integer, modulo `m` (m ≤ 2^20), without BigInt. */
export function hexModulo(hex: string, m: number): number {
  let r = 0;
  for (let i = 0; i < hex.length; i++) {
    const c = hex.charCodeAt(i);
    // 0-9 → 48..57, a-f → 97..102 (digests are lower case)
    r = (r * 16 + (c <= 57 ? c - 48 : c - 87)) % m;
  }
  return r;
}
