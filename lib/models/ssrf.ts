/**
 * Server-side request forgery guard for model endpoints.
 *
 * The app sends requests to URLs an admin typed, from inside the network it runs in. So:
 * - link-local addresses (169.254.0.0/16, fe80::/10) and the cloud metadata services are
 *   refused always — they hand out instance credentials;
 * - loopback, private (RFC 1918, CGNAT, IPv6 ULA) and other non-public ranges are refused
 *   unless ARBITER_ALLOW_PRIVATE_ENDPOINTS=1, because a team's own vLLM usually sits on a
 *   private network;
 * - the check runs on the addresses DNS returns, inside the socket's own `lookup`, so the
 *   address checked is the address connected to (no rebinding between check and connect);
 * - redirects are never followed (see client.ts).
 * The built-in demo endpoint is trusted: it is the app's own loopback server.
 */
import dns from "node:dns";
import net from "node:net";

/** How an address may be used. */
export type AddressClass = "public" | "private" | "loopback" | "forbidden";

/** Metadata services reachable at ordinary-looking addresses (besides all of link-local). */
const METADATA_V4 = new Set(["100.100.100.200" /* Alibaba Cloud */, "192.0.0.192" /* Oracle Cloud */]);

function v4ToInt(ip: string): number {
  return ip.split(".").reduce((n, part) => (n << 8) + Number(part), 0) >>> 0;
}

function inV4(ip: number, base: string, bits: number): boolean {
  const mask = bits === 0 ? 0 : (~0 << (32 - bits)) >>> 0;
  return (ip & mask) === (v4ToInt(base) & mask);
}

function classifyV4(ip: string): AddressClass {
  if (METADATA_V4.has(ip)) return "forbidden";
  const n = v4ToInt(ip);
  if (inV4(n, "169.254.0.0", 16)) return "forbidden"; // link-local, incl. 169.254.169.254 metadata
  if (inV4(n, "0.0.0.0", 8)) return "forbidden"; // "this network": 0.0.0.0 reaches the host itself
  if (inV4(n, "224.0.0.0", 4) || inV4(n, "240.0.0.0", 4)) return "forbidden"; // multicast, reserved, broadcast
  if (inV4(n, "127.0.0.0", 8)) return "loopback";
  if (
    inV4(n, "10.0.0.0", 8) ||
    inV4(n, "172.16.0.0", 12) ||
    inV4(n, "192.168.0.0", 16) ||
    inV4(n, "100.64.0.0", 10) || // carrier-grade NAT
    inV4(n, "192.0.0.0", 24) || // IETF protocol assignments
    inV4(n, "198.18.0.0", 15) || // benchmarking
    inV4(n, "192.0.2.0", 24) ||
    inV4(n, "198.51.100.0", 24) ||
    inV4(n, "203.0.113.0", 24) // documentation
  ) {
    return "private";
  }
  return "public";
}

/** Expands an IPv6 address to its eight 16-bit groups. */
function v6Groups(ip: string): number[] {
  let text = ip.toLowerCase();
  const zone = text.indexOf("%");
  if (zone >= 0) text = text.slice(0, zone);
  // A trailing dotted IPv4 part (::ffff:1.2.3.4) becomes two groups.
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    const n = v4ToInt(dotted[1]!);
    text = `${text.slice(0, -dotted[1]!.length)}${(n >>> 16).toString(16)}:${(n & 0xffff).toString(16)}`;
  }
  const [head, tail] = text.split("::") as [string, string | undefined];
  const h = head ? head.split(":").map((g) => parseInt(g, 16)) : [];
  const t = tail ? tail.split(":").map((g) => parseInt(g, 16)) : [];
  const fill = tail === undefined ? [] : new Array(8 - h.length - t.length).fill(0);
  return [...h, ...fill, ...t];
}

function classifyV6(ip: string): AddressClass {
  const g = v6Groups(ip);
  const embeddedV4 = () => `${g[6]! >> 8}.${g[6]! & 0xff}.${g[7]! >> 8}.${g[7]! & 0xff}`;
  if (g.every((x) => x === 0)) return "forbidden"; // ::
  if (g.slice(0, 7).every((x) => x === 0) && g[7] === 1) return "loopback"; // ::1
  // IPv4-mapped (::ffff:a.b.c.d), IPv4-compatible (::a.b.c.d) and NAT64 (64:ff9b::a.b.c.d): judge the IPv4 address.
  if (g.slice(0, 5).every((x) => x === 0) && (g[5] === 0xffff || g[5] === 0)) return classifyV4(embeddedV4());
  if (g[0] === 0x64 && g[1] === 0xff9b && g.slice(2, 6).every((x) => x === 0)) return classifyV4(embeddedV4());
  if ((g[0]! & 0xffc0) === 0xfe80) return "forbidden"; // link-local
  if ((g[0]! & 0xff00) === 0xff00) return "forbidden"; // multicast
  if (g[0] === 0xfd00 && g[1] === 0x0ec2) return "forbidden"; // AWS metadata (fd00:ec2::254) — before the ULA rule
  if ((g[0]! & 0xfe00) === 0xfc00) return "private"; // unique local
  if ((g[0]! & 0xffc0) === 0xfec0) return "private"; // site-local (deprecated)
  if (g[0] === 0x2001 && g[1] === 0x0db8) return "private"; // documentation
  return "public";
}

/** Classifies an IP address (v4 or v6); anything that is not an IP address is "forbidden". */
export function classifyAddress(ip: string): AddressClass {
  const family = net.isIP(ip.replace(/%.*$/, ""));
  if (family === 4) return classifyV4(ip);
  if (family === 6) return classifyV6(ip);
  return "forbidden";
}

/** Whether ARBITER_ALLOW_PRIVATE_ENDPOINTS lets loopback and private addresses through. */
export function privateEndpointsAllowed(env: Record<string, string | undefined> = process.env): boolean {
  const v = env.ARBITER_ALLOW_PRIVATE_ENDPOINTS?.trim().toLowerCase();
  return v === "1" || v === "true" || v === "yes";
}

/** A request the guard refused; never retried. */
export class BlockedAddressError extends Error {
  readonly code = "ENDPOINT_ADDRESS_REFUSED";
  constructor(
    readonly host: string,
    readonly address: string,
    readonly addressClass: Exclude<AddressClass, "public">,
  ) {
    super(
      addressClass === "forbidden"
        ? `${host} resolves to ${address}, a link-local, metadata or reserved address: endpoints may never use it`
        : `${host} resolves to ${address}, a ${addressClass} address: set ARBITER_ALLOW_PRIVATE_ENDPOINTS=1 to allow endpoints on your own network`,
    );
    this.name = "BlockedAddressError";
  }
}

/** Throws {@link BlockedAddressError} unless `address` may be connected to. */
export function assertAddressAllowed(host: string, address: string, allowPrivate: boolean): void {
  const cls = classifyAddress(address);
  if (cls === "public") return;
  if (cls !== "forbidden" && allowPrivate) return;
  throw new BlockedAddressError(host, address, cls);
}

/** The host of a base URL without IPv6 brackets. */
function hostOf(url: URL): string {
  return url.hostname.replace(/^\[(.*)\]$/, "$1");
}

/**
 * Checks a base URL before it is stored or used: http(s) only, no credentials in it, and
 * — when the host is an IP literal (sockets skip DNS for those) — an allowed address.
 * Host names are checked again on every connection by {@link guardedLookup}.
 */
export function assertEndpointUrlAllowed(baseUrl: string, options: { allowPrivate: boolean }): URL {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new TypeError(`base URL is not a URL: ${baseUrl}`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw new TypeError("base URL must start with http:// or https://");
  if (url.username || url.password)
    throw new TypeError("base URL must not contain credentials: name an environment variable for the API key");
  const host = hostOf(url);
  if (net.isIP(host)) assertAddressAllowed(host, host, options.allowPrivate);
  else if (host === "localhost" || host.endsWith(".localhost")) assertAddressAllowed(host, "127.0.0.1", options.allowPrivate);
  return url;
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | dns.LookupAddress[], family?: number) => void;

/**
 * A `lookup` for net/tls.connect that resolves the host, refuses the connection when any
 * returned address is not allowed, and hands the socket exactly the addresses it checked.
 */
export function guardedLookup(allowPrivate: boolean) {
  return (hostname: string, options: dns.LookupOptions, callback: LookupCallback): void => {
    dns.lookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, []);
      const list = addresses as dns.LookupAddress[];
      try {
        if (list.length === 0) throw Object.assign(new Error(`${hostname} has no address`), { code: "ENOTFOUND" });
        for (const a of list) assertAddressAllowed(hostname, a.address, allowPrivate);
      } catch (e) {
        return callback(e as NodeJS.ErrnoException, []);
      }
      if (options.all) callback(null, list);
      else callback(null, list[0]!.address, list[0]!.family);
    });
  };
}
