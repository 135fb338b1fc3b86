import type { Metadata } from "next";
import Link from "next/link";
import { forbidden, notFound } from "next/navigation";
import { StartLiveSession } from "@/components/live/start-session";
import { getDb } from "@/db/client";
import { requireUser } from "@/lib/auth/session";
import { AppError } from "@/lib/errors";
import { messagesFor } from "@/lib/i18n";
import { getTranslator } from "@/lib/i18n/server";
import { listMyLiveSessions } from "@/lib/services/live";

export const metadata: Metadata = { title: "Live sessions" };

export default async function LiveProjectPage({ params }: { params: Promise<{ slug: string }> }) {
  const actor = await requireUser();
  const { slug } = await params;
  const { locale, t } = await getTranslator();
  const data = await listMyLiveSessions({ db: getDb(), actor }, { projectSlug: slug }).catch((e) => {
    if (e instanceof AppError && (e.code === "NOT_FOUND" || e.code === "CONFLICT")) notFound();
    if (e instanceof AppError && e.code === "FORBIDDEN") forbidden();
    throw e;
  });
  return (
    <div className="stack">
      <h1>{t("live.title", { name: data.project.name })}</h1>
      <StartLiveSession slug={data.project.slug} messages={messagesFor(locale)} />
      <section className="stack">
        <h2>{t("live.sessions")}</h2>
        {data.sessions.length === 0 ? <p className="muted">{t("live.noSessions")}</p> : null}
        <ul>
          {data.sessions.map((s) => (
            <li key={s.id}>
              <Link href={`/live/${encodeURIComponent(data.project.slug)}/${s.id}`}>
                {t(s.state === "active" ? "live.resume" : "live.view", { id: s.id, character: s.character, turns: s.turns })}
              </Link>
            </li>
          ))}
        </ul>
      </section>
    </div>
  );
}
