/**
 * The core of the COPY baselines (pg-copy-streams is not a dependency): a pg "submittable",
 * an object pg's client feeds the server's messages to, that sends one COPY statement and
 * settles with the row count its CommandComplete reports. Subclasses move the data:
 * handleCopyInResponse for COPY … FROM STDIN, handleCopyData for COPY … TO STDOUT.
 */
import type pg from "pg";

export abstract class CopySubmittable<Connection extends { query(text: string): void }> {
  rowCount = 0;
  readonly done: Promise<number>;
  private error: unknown = null;
  private resolve!: (n: number) => void;
  private reject!: (e: unknown) => void;

  constructor(private readonly text: string) {
    this.done = new Promise((res, rej) => {
      this.resolve = res;
      this.reject = rej;
    });
  }

  /** Hands this to the client (its query() takes any submittable) and waits for the row count. */
  run(client: pg.Client): Promise<number> {
    void (client as unknown as { query(q: unknown): unknown }).query(this);
    return this.done;
  }

  submit(connection: Connection) {
    connection.query(this.text);
  }
  handleCommandComplete(msg: { text?: string }) {
    this.rowCount = Number(/(\d+)$/.exec(msg.text ?? "")?.[1] ?? 0);
  }
  handleError(error: unknown) {
    this.error = error;
  }
  handleReadyForQuery() {
    if (this.error) this.reject(this.error);
    else this.resolve(this.rowCount);
  }
  handleCopyInResponse(_connection: Connection) {}
  handleCopyData(_msg: { chunk: Buffer }, _connection: Connection) {}
  handleEmptyQuery() {}
  handleRowDescription() {}
  handleDataRow() {}
  handlePortalSuspended() {}
}
