/**
 * Where an export's bytes go: a bundle writer (a directory, or anything a caller
 * supplies) and the JSONL sinks that buffer, hash and count lines on their way there.
 * No database, no business rules; lib/services/exports.ts drives them.
 */
import { createHash, type Hash } from "node:crypto";
import { once } from "node:events";
import { createWriteStream, mkdirSync } from "node:fs";
import { rename, rm } from "node:fs/promises";
import path from "node:path";
import { finished } from "node:stream/promises";
import { Writable } from "node:stream";
import { createGzip, type Gzip } from "node:zlib";

/** Every file name a bundle may hold; a directory writer removes stale ones of them. */
export const BUNDLE_FILE_NAMES = [
  "train.jsonl",
  "test.jsonl",
  "ties.jsonl.gz",
  "sft.jsonl.gz",
  "judgments.jsonl",
  "sessions.jsonl",
  "manifest.json",
  "README.md",
] as const;

/** A destination for the files of one bundle. */
export interface BundleWriter {
  /** A stream for one file; the builder writes it in order and ends it. Opened only for files with content. */
  open(name: string): Writable;
  /** All files are written and ended: make `names` the bundle (drop anything stale). */
  commit(names: readonly string[]): Promise<void>;
  /** The build failed: leave nothing half-written behind. */
  abort(): Promise<void>;
}

/**
 * Writes a bundle into `dir` (created if missing). Files are written as `<name>.partial`
 * and renamed on commit, when bundle files of an earlier export in the same directory
 * that this one does not have (e.g. a test.jsonl from a run with a test split) are
 * removed, so that the directory is exactly this bundle. Other files are left alone.
 */
export function directoryWriter(dir: string): BundleWriter {
  const opened: string[] = [];
  const partial = (name: string) => path.join(dir, `${name}.partial`);
  return {
    open(name) {
      if (name.includes("/") || name.includes("\\")) throw new Error(`bundle file names are flat: ${name}`);
      opened.push(name);
      mkdirSync(dir, { recursive: true });
      // Room for a few 512 KB chunks in flight: with the default 16 KB every chunk waited
      // for its write to finish before the export built another line.
      return createWriteStream(partial(name), { flags: "w", highWaterMark: 4 * 1024 * 1024 });
    },
    async commit(names) {
      for (const name of BUNDLE_FILE_NAMES) {
        if (!names.includes(name)) await rm(path.join(dir, name), { force: true });
      }
      for (const name of opened) {
        if (names.includes(name)) await rename(partial(name), path.join(dir, name));
        else await rm(partial(name), { force: true });
      }
    },
    async abort() {
      for (const name of opened) await rm(partial(name), { force: true });
    },
  };
}

/** A writer that keeps every file in memory (tests, small previews). */
export function memoryWriter(): BundleWriter & { files: Map<string, Buffer> } {
  const files = new Map<string, Buffer>();
  const pending = new Map<string, Buffer[]>();
  return {
    files,
    open(name) {
      const chunks: Buffer[] = [];
      pending.set(name, chunks);
      return new Writable({
        write(chunk: Buffer, _enc, done) {
          chunks.push(Buffer.from(chunk));
          done();
        },
      });
    },
    async commit(names) {
      for (const name of names) files.set(name, Buffer.concat(pending.get(name) ?? []));
    },
    async abort() {
      pending.clear();
    },
  };
}

/** A finished file of the bundle. */
export type WrittenFile = { name: string; rows: number; sha256: string; bytes: number };

/** Bytes of one output chunk: lines are encoded straight into it, and it is hashed and written when full. */
const CHUNK_BYTES = 512 * 1024;

/**
 * One JSONL file: lines are encoded into large chunks (a write per line would dominate a
 * million-row export; encoding each line into the chunk spares joining them into one big
 * string first), hashed as they leave, and the file is opened on the first line only —
 * an export never writes an empty data file, which the dataset validator and `datasets`
 * reject. With `gzip`, the hash and size are of the compressed bytes (that is the file).
 */
export class JsonlSink {
  rows = 0;
  private chunk: Buffer = Buffer.allocUnsafe(CHUNK_BYTES);
  private used = 0;
  private out: Writable | null = null;
  private gz: Gzip | null = null;
  private readonly hash: Hash = createHash("sha256");
  private bytes = 0;

  constructor(
    private readonly writer: BundleWriter,
    readonly name: string,
    private readonly gzip = false,
  ) {}

  /**
   * Adds one line (without its newline). Returns a promise only when the chunk had to be
   * written out (await it: that is the backpressure); most lines just go into the chunk,
   * and an export pushes hundreds of thousands of them.
   */
  push(line: string): Promise<void> | undefined {
    this.rows++;
    // A UTF-16 code unit takes at most 3 UTF-8 bytes.
    const worst = line.length * 3 + 1;
    if (this.used + worst > this.chunk.length) return this.pushAfterFlush(line, worst);
    this.used += this.chunk.write(line, this.used, "utf8");
    this.chunk[this.used++] = 10;
    return undefined;
  }

  private async pushAfterFlush(line: string, worst: number): Promise<void> {
    await this.flush();
    if (worst > this.chunk.length) {
      await this.emit(Buffer.from(`${line}\n`, "utf8"));
      return;
    }
    this.used += this.chunk.write(line, this.used, "utf8");
    this.chunk[this.used++] = 10;
  }

  /**
   * Adds one line given as pieces (see jsonLinePieces): strings are encoded as UTF-8,
   * byte runs copied as they are. Same contract as {@link push}.
   */
  pushPieces(pieces: readonly (string | Uint8Array)[]): Promise<void> | undefined {
    if (pieces.length === 1) {
      const only = pieces[0]!;
      if (typeof only === "string") return this.push(only);
    }
    this.rows++;
    let worst = 1;
    for (const piece of pieces) worst += typeof piece === "string" ? piece.length * 3 : piece.length;
    if (this.used + worst > this.chunk.length) return this.piecesAfterFlush(pieces, worst);
    this.writePieces(pieces);
    return undefined;
  }

  private writePieces(pieces: readonly (string | Uint8Array)[]): void {
    const chunk = this.chunk;
    let used = this.used;
    for (const piece of pieces) {
      if (typeof piece === "string") used += chunk.write(piece, used, "utf8");
      else {
        chunk.set(piece, used);
        used += piece.length;
      }
    }
    chunk[used++] = 10;
    this.used = used;
  }

  private async piecesAfterFlush(pieces: readonly (string | Uint8Array)[], worst: number): Promise<void> {
    await this.flush();
    if (worst > this.chunk.length) {
      const parts = pieces.map((p) => (typeof p === "string" ? Buffer.from(p, "utf8") : p));
      await this.emit(Buffer.concat([...parts, Buffer.from("\n")]));
      return;
    }
    this.writePieces(pieces);
  }

  private open(): void {
    const out = this.writer.open(this.name);
    this.out = out;
    if (this.gzip) {
      // Level and strategy fixed: the same lines give the same bytes with the same zlib.
      const gz = createGzip({ level: 6 });
      gz.on("data", (c: Buffer) => {
        this.hash.update(c);
        this.bytes += c.length;
      });
      gz.pipe(out);
      this.gz = gz;
    }
  }

  private async flush(): Promise<void> {
    if (this.used === 0) return;
    const data = this.chunk.subarray(0, this.used);
    // The written chunk belongs to the stream now; later lines go into a fresh one.
    this.chunk = Buffer.allocUnsafe(CHUNK_BYTES);
    this.used = 0;
    await this.emit(data);
  }

  private async emit(data: Buffer): Promise<void> {
    if (!this.out) this.open();
    if (this.gz) {
      if (!this.gz.write(data)) await once(this.gz, "drain");
      return;
    }
    this.hash.update(data);
    this.bytes += data.length;
    if (!this.out!.write(data)) await once(this.out!, "drain");
  }

  /** Flushes and ends the file; null when no line was ever pushed (no file). */
  async end(): Promise<WrittenFile | null> {
    await this.flush();
    if (!this.out) return null;
    if (this.gz) this.gz.end();
    else this.out.end();
    await finished(this.out);
    return { name: this.name, rows: this.rows, sha256: this.hash.digest("hex"), bytes: this.bytes };
  }
}

/** Writes a whole small file (manifest, README) through the writer; returns its hash. */
export async function writeWholeFile(writer: BundleWriter, name: string, text: string): Promise<WrittenFile> {
  const data = Buffer.from(text, "utf8");
  const out = writer.open(name);
  out.end(data);
  await finished(out);
  return { name, rows: 0, sha256: createHash("sha256").update(data).digest("hex"), bytes: data.length };
}

/**
 * Turns a producer that pushes values (and awaits each push) into an async iterator
 * with backpressure: the producer is held at each push until the consumer asks for the
 * next value, so at most one value is in flight. Ending the iteration early (a client
 * hanging up) makes the pending push throw {@link ProducerCancelled}, which unwinds the
 * producer — and with it any transaction it holds.
 */
export function pullFrom<T>(run: (emit: (value: T) => Promise<void>) => Promise<void>): AsyncIterableIterator<T> {
  let slot: { value: T } | null = null;
  let finishedRun = false;
  let failure: unknown = null;
  let cancelled = false;
  let wakeConsumer: (() => void) | null = null;
  let wakeProducer: (() => void) | null = null;
  let started: Promise<void> | null = null;

  const emit = async (value: T) => {
    if (cancelled) throw new ProducerCancelled();
    slot = { value };
    wakeConsumer?.();
    await new Promise<void>((resolve) => (wakeProducer = resolve));
    if (cancelled) throw new ProducerCancelled();
  };
  const start = () =>
    (started ??= run(emit).then(
      () => {
        finishedRun = true;
        wakeConsumer?.();
      },
      (error: unknown) => {
        failure = error;
        finishedRun = true;
        wakeConsumer?.();
      },
    ));

  const iterator: AsyncIterableIterator<T> = {
    [Symbol.asyncIterator]() {
      return iterator;
    },
    async next() {
      void start();
      if (slot === null && !finishedRun) {
        // Let the producer continue from its last push, then wait for its next value.
        const resume = wakeProducer as (() => void) | null;
        wakeProducer = null;
        await new Promise<void>((resolve) => {
          wakeConsumer = resolve;
          resume?.();
        });
        wakeConsumer = null;
      }
      if (slot !== null) {
        const { value } = slot;
        slot = null;
        return { value, done: false };
      }
      if (failure !== null && !(failure instanceof ProducerCancelled)) throw failure;
      return { value: undefined, done: true };
    },
    async return() {
      if (started && !finishedRun) {
        cancelled = true;
        const resume = wakeProducer as (() => void) | null;
        wakeProducer = null;
        resume?.();
        await started;
      }
      return { value: undefined, done: true };
    },
  };
  return iterator;
}

/** Thrown inside a producer whose consumer stopped reading. */
export class ProducerCancelled extends Error {
  constructor() {
    super("the consumer stopped reading");
    this.name = "ProducerCancelled";
  }
}
