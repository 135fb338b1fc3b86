import { NextResponse } from "next/server";
import { getSessionUser } from "@/lib/auth/session";
import { checkDatabaseHealth, healthFor } from "@/lib/services/health";

export const dynamic = "force-dynamic";

/**
 * Liveness and database reachability; 503 while the database is down. Anonymous callers
 * (load balancers, monitors) get the status only; signed-in staff also see the version,
 * the latency and the applied migrations.
 */
export async function GET() {
  const [health, user] = await Promise.all([checkDatabaseHealth(), getSessionUser().catch(() => null)]);
  return NextResponse.json(healthFor(health, user?.role ?? null), {
    status: health.status === "ok" ? 200 : 503,
    headers: { "Cache-Control": "no-store" },
  });
}
