import { NextResponse, type NextRequest } from "next/server";
import { getDb } from "@/db/client";
import { route } from "@/lib/http";
import { actorFor } from "@/lib/auth/session";
import { listUsersPage } from "@/lib/services/users";

export const dynamic = "force-dynamic";

/** GET /api/users?q=&role=&page=&pageSize= — leads and admins. */
export const GET = route(async (request: NextRequest) => {
  const actor = await actorFor("user.read");
  const params = Object.fromEntries(request.nextUrl.searchParams);
  const page = await listUsersPage(
    { db: getDb(), actor },
    { search: params.q, role: params.role, page: params.page, pageSize: params.pageSize },
  );
  return NextResponse.json(page);
});
