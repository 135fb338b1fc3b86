/**
 * `COPY (query) TO STDOUT (FORMAT binary)` read row by row on a connection of the pool
 * (node-postgres has no COPY API of its own, and pg-copy-streams is not a dependency): a
 * small "submittable" that node-postgres hands the CopyData messages to. Unlike a cursor
 * FETCH, whose rows node-postgres decodes into strings field by field, this sees the raw
 * bytes, so a caller can keep a field's bytes as they are.
 *
 * The server sends one CopyData message per row (the protocol says so for COPY TO; the
 * binary header comes with the first one), so each message is parsed on its own; one that
 * is not exactly one row is an error, never a silent misread. The message bytes are a
 * view into node-postgres's read buffer, which it reuses: `decode` must copy whatever it
 * keeps. Backpressure: the socket is paused while HIGH_WATER rows wait to be taken.
 */
import type pg from "pg";
import type { Db } from "@/db/client";

const SIGNATURE = Buffer.from("PGCOPY\n\xff\r\n\0", "latin1");
const HIGH_WATER = 1000;
const LOW_WATER = 250;

type PgConnection = { stream: { pause(): void; resume(): void }; query(text: string): void };

/** The node-postgres connection behind a drizzle transaction (drizzle keeps it as `session.client`). */
export function clientOf(tx: Db): pg.ClientBase {
  const client = (tx as unknown as { session?: { client?: unknown } }).session?.client as pg.ClientBase | undefined;
  if (!client || typeof client.query !== "function" || "totalCount" in client) {
    throw new Error("COPY needs the single connection of a transaction, not a pool");
  }
  return client;
}

/** A binary COPY being read: take rows with {@link next}; {@link settle} before the transaction ends. */
export class BinaryCopyReader<T> {
  private queue: T[] = [];
  private head = 0;
  private header = false;
  private ended = false;
  private discard = false;
  private error: unknown = null;
  private paused = false;
  private connection: PgConnection | null = null;
  private wake: (() => void) | null = null;
  private readonly finished: Promise<void>;
  private resolveFinished!: () => void;

  /**
   * @param text a `COPY (…) TO STDOUT (FORMAT binary)` statement (simple protocol: no parameters).
   * @param decode turns one row's fields (null for SQL NULL; views, see the module comment) into a value.
   */
  constructor(
    private readonly text: string,
    private readonly decode: (fields: (Buffer | null)[]) => T,
  ) {
    this.finished = new Promise((resolve) => (this.resolveFinished = resolve));
  }

  /** Starts the COPY on the connection of `tx` (queued behind anything it is running). */
  static start<T>(tx: Db, text: string, decode: (fields: (Buffer | null)[]) => T): BinaryCopyReader<T> {
    const reader = new BinaryCopyReader(text, decode);
    void (clientOf(tx) as unknown as { query(q: unknown): unknown }).query(reader);
    return reader;
  }

  /** The next row, or undefined after the last; throws the COPY's error. */
  async next(): Promise<T | undefined> {
    while (this.head >= this.queue.length) {
      if (this.error !== null) throw this.error;
      if (this.ended) return undefined;
      this.resumeIfPaused();
      await new Promise<void>((resolve) => (this.wake = resolve));
    }
    const row = this.queue[this.head]!;
    this.queue[this.head++] = undefined as T;
    if (this.head >= LOW_WATER && this.head * 2 >= this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
    if (this.paused && this.queue.length - this.head < LOW_WATER) this.resumeIfPaused();
    return row;
  }

  /** Stops keeping rows and waits for the COPY to end (the connection cannot run anything else before). */
  async settle(): Promise<void> {
    this.discard = true;
    this.queue = [];
    this.head = 0;
    this.resumeIfPaused();
    await this.finished;
  }

  private resumeIfPaused(): void {
    if (this.paused && this.connection) {
      this.paused = false;
      this.connection.stream.resume();
    }
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = null;
    wake?.();
  }

  // --- node-postgres submittable interface ---

  submit(connection: PgConnection): void {
    this.connection = connection;
    connection.query(this.text);
  }

  handleCopyData(msg: { chunk: Buffer }): void {
    if (this.discard || this.error !== null) return;
    try {
      const row = this.parse(msg.chunk);
      if (row === undefined) return;
      this.queue.push(row);
      if (!this.paused && this.queue.length - this.head >= HIGH_WATER && this.connection) {
        this.paused = true;
        this.connection.stream.pause();
      }
      this.notify();
    } catch (error) {
      // Keep reading (and dropping) to the end of the COPY, so the connection stays usable.
      this.error = error;
      this.notify();
    }
  }

  /** One CopyData message: the row it holds, or undefined for the header alone or the trailer. */
  private parse(chunk: Buffer): T | undefined {
    let pos = 0;
    if (!this.header) {
      if (chunk.length < 19 || !chunk.subarray(0, 11).equals(SIGNATURE)) throw new Error("COPY: not a binary COPY stream");
      pos = 19 + chunk.readInt32BE(15);
      this.header = true;
      if (pos === chunk.length) return undefined;
    }
    const count = chunk.readInt16BE(pos);
    pos += 2;
    if (count === -1) {
      if (pos !== chunk.length) throw new Error("COPY: bytes after the trailer");
      return undefined;
    }
    const fields: (Buffer | null)[] = new Array(count);
    for (let i = 0; i < count; i++) {
      const length = chunk.readInt32BE(pos);
      pos += 4;
      if (length < 0) fields[i] = null;
      else {
        fields[i] = chunk.subarray(pos, pos + length);
        pos += length;
      }
    }
    if (pos !== chunk.length) throw new Error("COPY: a CopyData message that is not exactly one row");
    return this.decode(fields);
  }

  /** node-postgres drops a query on its error (the ReadyForQuery that follows is not ours): this is its end. */
  handleError(error: unknown): void {
    this.error = error;
    this.ended = true;
    this.resumeIfPaused();
    this.notify();
    this.resolveFinished();
  }

  handleReadyForQuery(): void {
    this.ended = true;
    this.resumeIfPaused();
    this.notify();
    this.resolveFinished();
  }

  handleCommandComplete(): void {}
  handleEmptyQuery(): void {}
  handleRowDescription(): void {}
  handleDataRow(): void {}
  handlePortalSuspended(): void {}
  handleCopyInResponse(): void {
    this.error = new Error("COPY: the server asked for input");
  }
}

/**
 * The elements of a one-dimensional `text[]` in binary form, copied out of the message
 * (one allocation; the elements are views of it). An empty array gives [].
 */
export function textArrayElements(field: Buffer): Buffer[] {
  const own = Buffer.from(field);
  const ndim = own.readInt32BE(0);
  if (ndim === 0) return [];
  if (ndim !== 1) throw new Error(`COPY: a ${ndim}-dimensional array where one dimension was expected`);
  const n = own.readInt32BE(12);
  let pos = 20;
  const out: Buffer[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const length = own.readInt32BE(pos);
    pos += 4;
    if (length < 0) throw new Error("COPY: a NULL array element");
    out[i] = own.subarray(pos, pos + length);
    pos += length;
  }
  if (pos !== own.length) throw new Error("COPY: malformed array");
  return out;
}
