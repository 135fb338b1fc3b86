import { NextResponse } from "next/server";
import { checkDatabaseHealth } from "@/lib/services/health";

export const dynamic = "force-dynamic";

/** Liveness and database reachability; 503 while the database is down. */
export async function GET() {
  const health = await checkDatabaseHealth();
  return NextResponse.json(health, { status: health.status === "ok" ? 200 : 503, headers: { "Cache-Control": "no-store" } });
}
