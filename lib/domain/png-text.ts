/**
 * PNG text chunks (tEXt, zTXt, iTXt), read and written without an image library.
 *
 * Character cards travel as PNG images carrying the card JSON, base64-encoded, in a
 * text chunk keyed `chara` (Character Card V2) or `ccv3` (V3). Reading them needs only
 * the chunk layout of the PNG specification (ISO/IEC 15948, §5.3 and §11.3.4):
 * an 8-byte signature, then chunks of `length (4, big-endian) | type (4) | data | CRC-32`,
 * ending with IEND. Each chunk's CRC is checked so that a damaged file is refused rather
 * than half-read.
 */
import { deflateSync, inflateSync } from "node:zlib";

/** The 8-byte signature every PNG file starts with. */
export const PNG_SIGNATURE = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** One text chunk: its keyword and its text. */
export interface PngText {
  keyword: string;
  text: string;
}

/** Why a byte string is not a PNG whose text chunks can be read. */
export class PngError extends Error {
  override name = "PngError";
}

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** CRC-32 (ISO 3309 / ITU-T V.42, as PNG uses it) over the given byte runs. */
export function crc32(...parts: Uint8Array[]): number {
  let c = 0xffffffff;
  for (const bytes of parts) for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** Whether the bytes start with the PNG signature. */
export function isPng(bytes: Uint8Array): boolean {
  return bytes.length >= 8 && PNG_SIGNATURE.every((b, i) => bytes[i] === b);
}

const latin1 = new TextDecoder("latin1");
const utf8 = new TextDecoder("utf-8", { fatal: true });

function decodeUtf8(bytes: Uint8Array, what: string): string {
  try {
    return utf8.decode(bytes);
  } catch {
    throw new PngError(`${what} is not valid UTF-8`);
  }
}

/**
 * Every text chunk of a PNG, in file order. tEXt is Latin-1 (card sites put base64 there,
 * which is ASCII); zTXt and compressed iTXt are inflated; iTXt text is UTF-8.
 * Throws {@link PngError} on a missing signature, a truncated chunk or a CRC mismatch.
 */
export function readPngTextChunks(bytes: Uint8Array): PngText[] {
  if (!isPng(bytes)) throw new PngError("the file is not a PNG image (no PNG signature)");
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: PngText[] = [];
  let at = 8;
  let sawEnd = false;
  while (at < bytes.length) {
    if (at + 12 > bytes.length) throw new PngError(`the PNG is truncated (a chunk header at byte ${at} is cut off)`);
    const length = view.getUint32(at);
    const typeBytes = bytes.subarray(at + 4, at + 8);
    const type = latin1.decode(typeBytes);
    const dataStart = at + 8;
    const dataEnd = dataStart + length;
    if (dataEnd + 4 > bytes.length) throw new PngError(`the PNG is truncated (chunk ${type} at byte ${at} is cut off)`);
    const data = bytes.subarray(dataStart, dataEnd);
    if (view.getUint32(dataEnd) !== crc32(typeBytes, data)) {
      throw new PngError(`the PNG is damaged (chunk ${type} at byte ${at} fails its CRC check)`);
    }
    if (type === "tEXt" || type === "zTXt" || type === "iTXt") out.push(readTextChunk(type, data));
    at = dataEnd + 4;
    if (type === "IEND") {
      sawEnd = true;
      break;
    }
  }
  if (!sawEnd) throw new PngError("the PNG is truncated (no IEND chunk)");
  return out;
}

function readTextChunk(type: string, data: Uint8Array): PngText {
  const nul = data.indexOf(0);
  if (nul < 1) throw new PngError(`a ${type} chunk has no keyword`);
  const keyword = latin1.decode(data.subarray(0, nul));
  const rest = data.subarray(nul + 1);
  if (type === "tEXt") return { keyword, text: latin1.decode(rest) };
  if (type === "zTXt") return { keyword, text: latin1.decode(inflate(rest.subarray(1), keyword)) };
  // iTXt: compression flag, method, language tag\0, translated keyword\0, text.
  const compressed = rest[0] === 1;
  const langEnd = rest.indexOf(0, 2);
  const translatedEnd = langEnd < 0 ? -1 : rest.indexOf(0, langEnd + 1);
  if (translatedEnd < 0) throw new PngError(`the iTXt chunk "${keyword}" is malformed`);
  const body = rest.subarray(translatedEnd + 1);
  return { keyword, text: decodeUtf8(compressed ? inflate(body, keyword) : body, `the iTXt chunk "${keyword}"`) };
}

function inflate(data: Uint8Array, keyword: string): Uint8Array {
  try {
    return inflateSync(data);
  } catch {
    throw new PngError(`the compressed text chunk "${keyword}" cannot be inflated`);
  }
}

function chunk(type: string, data: Uint8Array): Uint8Array {
  const typeBytes = new TextEncoder().encode(type);
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  out.set(typeBytes, 4);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(typeBytes, data));
  return out;
}

/**
 * A copy of a PNG with its text chunks under `keywords` replaced by `texts` (tEXt,
 * written just before IEND). Used to write cards into images; `text` must be Latin-1
 * (base64 is).
 */
export function withPngTextChunks(png: Uint8Array, texts: readonly PngText[]): Uint8Array {
  readPngTextChunks(png); // validates the layout and every CRC
  const replaced = new Set(texts.map((t) => t.keyword));
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  const parts: Uint8Array[] = [png.subarray(0, 8)];
  let at = 8;
  while (at < png.length) {
    const length = view.getUint32(at);
    const type = latin1.decode(png.subarray(at + 4, at + 8));
    const whole = png.subarray(at, at + 12 + length);
    if (type === "IEND") {
      for (const t of texts) {
        const body = new Uint8Array([...Buffer.from(t.keyword, "latin1"), 0, ...Buffer.from(t.text, "latin1")]);
        parts.push(chunk("tEXt", body));
      }
      parts.push(whole);
      break;
    }
    const isReplaced = type === "tEXt" && replaced.has(latin1.decode(png.subarray(at + 8, at + 8 + png.subarray(at + 8).indexOf(0))));
    if (!isReplaced) parts.push(whole);
    at += 12 + length;
  }
  return Buffer.concat(parts);
}

/** The smallest valid PNG: one transparent pixel (IHDR, IDAT, IEND). */
export function onePixelPng(): Uint8Array {
  const ihdr = new Uint8Array(13);
  const v = new DataView(ihdr.buffer);
  v.setUint32(0, 1);
  v.setUint32(4, 1);
  ihdr.set([8, 6, 0, 0, 0], 8); // 8-bit RGBA, deflate, adaptive filter, no interlace
  // One scanline: filter byte 0, then four zero bytes (a transparent pixel).
  const idat = deflateSync(new Uint8Array(5));
  return Buffer.concat([PNG_SIGNATURE, chunk("IHDR", ihdr), chunk("IDAT", idat), chunk("IEND", new Uint8Array(0))]);
}
