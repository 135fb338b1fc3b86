import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { EditJudgment } from "@/components/annotate/edit-judgment";
import { getDb } from "@/db/client";
import { requireUser } from "@/lib/auth/session";
import { pageData } from "@/lib/pages";
import { messagesFor } from "@/lib/i18n";
import { getTranslator } from "@/lib/i18n/server";
import { getMyJudgment } from "@/lib/services/annotation";

export const metadata: Metadata = { title: "Edit judgment" };

export default async function EditJudgmentPage({ params }: { params: Promise<{ slug: string; judgmentId: string }> }) {
  const actor = await requireUser();
  const { slug, judgmentId } = await params;
  const { locale, t } = await getTranslator();
  const found = await pageData(getMyJudgment({ db: getDb(), actor }, { judgmentId }), { notFound: ["NOT_FOUND", "VALIDATION"] });
  if (found.project.slug !== slug) notFound();
  return (
    <div className="stack">
      <h1>{t("annotate.editTitle")}</h1>
      {found.editable ? (
        <EditJudgment found={found} userId={actor.id} messages={messagesFor(locale)} locale={locale} />
      ) : (
        <p className="panel">{t("annotate.notEditable")}</p>
      )}
    </div>
  );
}
