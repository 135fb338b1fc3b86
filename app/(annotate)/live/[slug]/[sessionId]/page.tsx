import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { LiveSession } from "@/components/live/live-session";
import { getDb } from "@/db/client";
import { requireUser } from "@/lib/auth/session";
import { AppError } from "@/lib/errors";
import { messagesFor } from "@/lib/i18n";
import { getTranslator } from "@/lib/i18n/server";
import { getLiveSession } from "@/lib/services/live";

export const metadata: Metadata = { title: "Live session" };

export default async function LiveSessionPage({ params }: { params: Promise<{ slug: string; sessionId: string }> }) {
  const actor = await requireUser();
  const { slug, sessionId } = await params;
  const { locale } = await getTranslator();
  const view = await getLiveSession({ db: getDb(), actor }, { sessionId }).catch((e) => {
    if (e instanceof AppError && e.code === "NOT_FOUND") notFound();
    throw e;
  });
  if (view.session.project.slug !== slug) notFound();
  return <LiveSession sessionId={view.session.id} initial={view} messages={messagesFor(locale)} />;
}
