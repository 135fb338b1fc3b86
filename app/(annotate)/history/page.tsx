import type { Metadata } from "next";
import Link from "next/link";
import { getDb } from "@/db/client";
import { requireUser } from "@/lib/auth/session";
import { getTranslator } from "@/lib/i18n/server";
import { messagesFor } from "@/lib/i18n";
import { answerLabel } from "@/components/annotate/answer-label";
import { listMyHistory } from "@/lib/services/annotation";
import { pageData } from "@/lib/pages";

export const metadata: Metadata = { title: "History" };

export default async function HistoryPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  const actor = await requireUser();
  const q = await searchParams;
  const { locale, t } = await getTranslator();
  const m = messagesFor(locale);
  const entries = await pageData(listMyHistory({ db: getDb(), actor }, { projectSlug: q.project || undefined, limit: 100 }));
  return (
    <div className="stack">
      <h1>{t("history.title")}</h1>
      {q.project && (
        <p>
          <Link href={`/annotate/${encodeURIComponent(q.project)}`}>← {t("annotate.open")}</Link>
        </p>
      )}
      {entries.length === 0 ? (
        <p className="panel">{t("history.empty")}</p>
      ) : (
        <table className="data">
          <thead>
            <tr>
              <th scope="col">{t("history.col.when")}</th>
              <th scope="col">{t("history.col.project")}</th>
              <th scope="col">{t("history.col.prompt")}</th>
              <th scope="col">{t("history.col.answer")}</th>
              <th scope="col">{t("history.col.state")}</th>
              <th scope="col">{t("users.col.actions")}</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((e) => (
              <tr key={e.id}>
                <td>{new Date(e.createdAt).toLocaleString(locale)}</td>
                <td>{e.project.name}</td>
                <td>
                  <strong>{e.item.characterName}</strong> · {e.item.lastUserMessage?.slice(0, 60)}
                </td>
                <td>{answerLabel(e, m)}</td>
                <td>
                  {t(`history.state.${e.state}`)}
                  {e.edited ? ` · ${t("history.edited")}` : ""}
                </td>
                <td>
                  {e.editable && (
                    <Link
                      className="btn btn-small"
                      href={`/annotate/${encodeURIComponent(e.project.slug)}/edit/${e.id}`}
                      aria-label={`${t("annotate.edit")} #${e.id}`}
                      title={t("history.editableUntil", { time: new Date(e.editableUntil).toLocaleTimeString(locale) })}
                    >
                      {t("annotate.edit")}
                    </Link>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
