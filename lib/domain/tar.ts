/**
 * A minimal POSIX ustar writer for export bundles (regular files only), so downloads need
 * no archiver dependency. Entries are 512-byte headers followed by the file's bytes padded
 * to 512; the archive ends with two zero blocks. mtime is passed in, so the same files
 * give the same bytes.
 */
const BLOCK = 512;

function writeString(buf: Buffer, offset: number, length: number, value: string): void {
  buf.write(value.slice(0, length), offset, length, "utf8");
}

function writeOctal(buf: Buffer, offset: number, length: number, value: number): void {
  // Octal digits, NUL-terminated, zero-padded to fill the field.
  const digits = value.toString(8).padStart(length - 1, "0");
  buf.write(`${digits}\0`, offset, length, "ascii");
}

/** The 512-byte ustar header of a regular file. Names must be ASCII and at most 100 bytes. */
export function tarHeader(name: string, size: number, mtimeSeconds: number): Buffer {
  if (!/^[\x20-\x7e]{1,100}$/.test(name)) throw new Error(`tar: unsupported file name ${JSON.stringify(name)}`);
  const h = Buffer.alloc(BLOCK, 0);
  writeString(h, 0, 100, name);
  writeOctal(h, 100, 8, 0o644);
  writeOctal(h, 108, 8, 0);
  writeOctal(h, 116, 8, 0);
  writeOctal(h, 124, 12, size);
  writeOctal(h, 136, 12, Math.floor(mtimeSeconds));
  h.fill(0x20, 148, 156); // checksum field counts as spaces while summing
  h[156] = 0x30; // '0': regular file
  writeString(h, 257, 6, "ustar");
  h.write("00", 263, 2, "ascii");
  let sum = 0;
  for (const byte of h) sum += byte;
  h.write(`${sum.toString(8).padStart(6, "0")}\0 `, 148, 8, "ascii");
  return h;
}

/** Zero bytes that pad a file of `size` bytes to a whole block. */
export function tarPadding(size: number): Buffer {
  const rest = size % BLOCK;
  return Buffer.alloc(rest === 0 ? 0 : BLOCK - rest, 0);
}

/** The end-of-archive marker. */
export function tarEnd(): Buffer {
  return Buffer.alloc(BLOCK * 2, 0);
}
