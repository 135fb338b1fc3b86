/**
 * Production app instances for benchmarks and the production tests: `next start` of the
 * existing build (`npm run build` first) on a free port, against a given database.
 *
 * Several instances started with the same `secret` accept each other's session cookies,
 * which is what a load balancer without sticky sessions needs.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import net from "node:net";
import path from "node:path";

export type AppInstance = {
  /** `http://127.0.0.1:<port>` */
  base: string;
  port: number;
  child: ChildProcess;
  /** What the server wrote to stderr (kept to the last 200 lines), for checks and failures. */
  stderr: () => string;
  /** SIGTERM, then waits for the exit. */
  stop: () => Promise<void>;
};

export type AppInstanceOptions = {
  databaseUrl: string;
  /** NEXTAUTH_SECRET; the same for every instance behind one load balancer. */
  secret: string;
  /** DATABASE_POOL_SIZE of this instance. */
  poolSize: number;
  port?: number;
  /** Extra environment (e.g. DATABASE_STATEMENT_TIMEOUT_MS). */
  env?: Record<string, string>;
  /** Node flags for the server, e.g. ["--cpu-prof"]. */
  nodeArgs?: string[];
  /** Echo the server's stderr to ours (default true). */
  echoStderr?: boolean;
  /** How long to wait for /api/health (default 60 s). */
  startTimeoutMs?: number;
};

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/** The production build's folder (NEXT_DIST_DIR or .next), or an error saying to build. */
export function assertProductionBuild(): string {
  const distDir = process.env.NEXT_DIST_DIR || ".next";
  if (!existsSync(path.resolve(distDir, "BUILD_ID"))) {
    throw new Error(`No production build in ${distDir}/: run \`npm run build\` first.`);
  }
  return distDir;
}

export function hasProductionBuild(): boolean {
  return existsSync(path.resolve(process.env.NEXT_DIST_DIR || ".next", "BUILD_ID"));
}

/** Starts `next start` and resolves once /api/health answers 200. */
export async function startAppInstance(options: AppInstanceOptions): Promise<AppInstance> {
  assertProductionBuild();
  const port = options.port ?? (await freePort());
  const base = `http://127.0.0.1:${port}`;
  const child = spawn(
    process.execPath,
    [
      ...(options.nodeArgs ?? []),
      path.resolve("node_modules", "next", "dist", "bin", "next"),
      "start",
      "-p",
      String(port),
      "-H",
      "127.0.0.1",
    ],
    {
      env: {
        ...process.env,
        NODE_ENV: "production",
        NEXT_TELEMETRY_DISABLED: "1",
        ...options.env,
        DATABASE_URL: options.databaseUrl,
        DATABASE_POOL_SIZE: String(options.poolSize),
        NEXTAUTH_URL: base,
        NEXTAUTH_SECRET: options.secret,
      },
      stdio: ["ignore", "ignore", "pipe"],
    },
  );
  const lines: string[] = [];
  child.stderr!.setEncoding("utf8");
  child.stderr!.on("data", (chunk: string) => {
    if (options.echoStderr ?? true) process.stderr.write(`[app :${port}] ${chunk}`);
    lines.push(...chunk.split("\n").filter(Boolean));
    if (lines.length > 200) lines.splice(0, lines.length - 200);
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGTERM");
      await exited;
    }
  };
  const deadline = Date.now() + (options.startTimeoutMs ?? 60_000);
  for (;;) {
    try {
      const res = await fetch(`${base}/api/health`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (child.exitCode !== null) throw new Error(`next start on port ${port} exited with code ${child.exitCode}:\n${lines.join("\n")}`);
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`next start on port ${port} did not answer /api/health in time`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return { base, port, child, stderr: () => lines.join("\n"), stop };
}
