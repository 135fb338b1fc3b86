/**
 * How CLI scripts reach the database: DATABASE_URL when set, otherwise the embedded
 * server — attached to if the app is already running it, started (and stopped again
 * afterwards) if not.
 */
import "./env";
import { startEmbeddedPostgres, type EmbeddedServer } from "@/db/embedded";
import { runMigrations } from "@/db/migrate";

export type DatabaseHandle = { url: string; embedded: EmbeddedServer | null; close: () => Promise<void> };

export async function openDatabase(options: { migrate?: boolean; quiet?: boolean } = {}): Promise<DatabaseHandle> {
  let url = process.env.DATABASE_URL?.trim();
  let embedded: EmbeddedServer | null = null;
  if (!url) {
    embedded = await startEmbeddedPostgres({
      log: options.quiet ? undefined : (m) => (m.includes("ERROR") || m.includes("FATAL") ? console.error(m) : undefined),
    });
    url = embedded.url;
    // Modules that call getDb() find the server through the environment.
    process.env.DATABASE_URL = url;
  }
  if (options.migrate ?? true) await runMigrations(url);
  return {
    url,
    embedded,
    close: async () => {
      const { closeDb } = await import("@/db/client");
      await closeDb();
      if (embedded?.owned) await embedded.stop();
    },
  };
}

/** Whether a connection string points at this machine. */
export function isLocalDatabase(url: string): boolean {
  try {
    const host = new URL(url).hostname;
    return host === "" || host === "localhost" || host === "127.0.0.1" || host === "::1" || host === "[::1]";
  } catch {
    return false;
  }
}

/** Scripts that write demo or bulk data refuse a non-local database without --force. */
export function assertLocalOrForced(url: string, force: boolean): void {
  if (!force && !isLocalDatabase(url)) {
    throw new Error(`Refusing to write to the non-local database at ${new URL(url).host} without --force.`);
  }
}
