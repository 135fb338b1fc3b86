/**
 * The hosts `next dev` serves its own client scripts to (Next.js `allowedDevOrigins`).
 * Next.js blocks dev resources requested from any origin but localhost, so a page opened
 * at 127.0.0.1 or at the network address `next dev` prints never hydrates — and a form
 * without script falls back to a GET. Plain JavaScript: next.config.js imports it.
 */
import os from "node:os";

/**
 * localhost and 127.0.0.1, the hosts of NEXTAUTH_URL and APP_ORIGINS, and every
 * non-internal address of this machine's network interfaces.
 * @param {Record<string, string | undefined>} env
 * @param {Record<string, { address: string; family: string | number; internal: boolean }[] | undefined>} interfaces
 * @returns {string[]}
 */
export function allowedDevOrigins(env = process.env, interfaces = os.networkInterfaces()) {
  const hosts = new Set(["localhost", "127.0.0.1", "[::1]"]);
  for (const value of [env.NEXTAUTH_URL, ...(env.APP_ORIGINS ?? "").split(",")]) {
    if (!value?.trim()) continue;
    try {
      hosts.add(new URL(value.trim()).hostname);
    } catch {
      // Not a URL: nothing to allow.
    }
  }
  for (const list of Object.values(interfaces)) {
    for (const i of list ?? []) {
      if (i.internal) continue;
      const v6 = i.family === "IPv6" || i.family === 6;
      hosts.add(v6 ? `[${i.address}]` : i.address);
    }
  }
  hosts.delete("");
  return [...hosts];
}
