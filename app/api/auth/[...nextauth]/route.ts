import NextAuth from "next-auth";
import { NextRequest } from "next/server";
import { authOptions } from "@/lib/auth/options";
import { errorResponse, readBodyBytes } from "@/lib/http";

const handler = NextAuth(authOptions);

/** Sign-in, sign-out and callback forms are a few hundred bytes; next-auth itself reads any size. */
const AUTH_BODY_LIMIT = 16 * 1024;

type Context = { params: Promise<{ nextauth: string[] }> };

/** next-auth's POSTs (its own CSRF token guards them), with the body capped first (413). */
async function POST(request: NextRequest, context: Context): Promise<Response> {
  let body: Buffer | null;
  try {
    body = await readBodyBytes(request, AUTH_BODY_LIMIT);
  } catch (error) {
    return errorResponse(error);
  }
  const capped = new NextRequest(request.url, { method: "POST", headers: request.headers, body: body ? new Uint8Array(body) : undefined });
  return handler(capped, context);
}

export { handler as GET, POST };
