/**
 * Transactions that PostgreSQL may abort as a deadlock victim or a serialisation failure
 * are retried a few times before the error surfaces: the lock order of the annotator's
 * verbs (membership → task → the task's leases) makes these rare, and a retry is cheap.
 */
import type { Db } from "@/db/client";
import { AppError, postgresErrorOf } from "@/lib/errors";

/** Deadlocks and serialisation failures are retried this many times before surfacing. */
export const TRANSACTION_ATTEMPTS = 4;

/** Runs work that is one transaction (a statement of its own, or db.transaction), retrying it when PostgreSQL aborts it as a deadlock victim or a serialisation failure. */
export async function withDeadlockRetry<T>(work: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      const code = postgresErrorOf(error)?.code;
      if (!(error instanceof AppError) && (code === "40P01" || code === "40001") && attempt < TRANSACTION_ATTEMPTS) {
        retriedTransactions++;
        continue;
      }
      throw error;
    }
  }
}

/**
 * Runs a transaction, retrying it when PostgreSQL aborts it as a deadlock victim or a
 * serialisation failure — the lock order (membership → task → the task's leases) makes
 * these rare, but a retry is cheap and the client never sees them.
 */
export function inTransaction<T>(db: Db, work: (tx: Db) => Promise<T>): Promise<T> {
  return withDeadlockRetry(() => db.transaction(work));
}

let retriedTransactions = 0;
/** How many transactions were retried after a deadlock or serialisation failure (tests and benchmarks report it). */
export function transactionRetries(): number {
  return retriedTransactions;
}
