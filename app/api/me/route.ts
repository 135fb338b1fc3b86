import { NextResponse } from "next/server";
import { route } from "@/lib/http";
import { actorFor } from "@/lib/auth/session";
import { navigationFor } from "@/lib/auth/navigation";

export const dynamic = "force-dynamic";

/** GET /api/me — who the session belongs to, as the server sees it now. */
export const GET = route(async () => {
  const actor = await actorFor();
  return NextResponse.json({
    id: actor.id,
    email: actor.email,
    name: actor.name,
    role: actor.role,
    locale: actor.locale,
    navigation: navigationFor(actor.role).map((item) => item.href),
  });
});
