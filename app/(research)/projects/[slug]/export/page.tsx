import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { ExportPanel } from "@/components/research/export-panel";
import { ProjectTabs } from "@/components/research/project-tabs";
import { getDb } from "@/db/client";
import { findProjectFor } from "@/lib/services/project-access";
import { requirePermission } from "@/lib/auth/session";
import { messagesFor } from "@/lib/i18n";
import { getTranslator } from "@/lib/i18n/server";
import { listExports } from "@/lib/services/exports";
import { initialFormPolicy } from "@/lib/validation/export";

export const metadata: Metadata = { title: "Export" };

export default async function ExportPage({ params }: { params: Promise<{ slug: string }> }) {
  const actor = await requirePermission("export.create");
  const { slug } = await params;
  const project = await findProjectFor({ db: getDb(), actor }, slug);
  if (!project) notFound();
  const { locale, t } = await getTranslator();
  const past = await listExports({ db: getDb(), actor }, { projectSlug: slug });
  return (
    <div className="stack">
      <h1>{t("export.title", { name: project.name })}</h1>
      <ProjectTabs slug={slug} current="export" t={t} />
      <ExportPanel slug={slug} defaults={initialFormPolicy()} messages={messagesFor(locale)} />
      <section className="panel stack" aria-labelledby="past-h">
        <h2 id="past-h">{t("export.past")}</h2>
        {past.length === 0 ? (
          <p className="muted">{t("export.none")}</p>
        ) : (
          <table className="data">
            <thead>
              <tr>
                <th scope="col">{t("export.col.id")}</th>
                <th scope="col">{t("export.col.kind")}</th>
                <th scope="col">{t("export.col.when")}</th>
                <th scope="col">{t("export.col.who")}</th>
                <th scope="col">{t("export.col.status")}</th>
                <th scope="col">{t("export.col.files")}</th>
                <th scope="col" />
              </tr>
            </thead>
            <tbody>
              {past.map((e) => (
                <tr key={e.id}>
                  <td>{e.id}</td>
                  <td>{e.kind}</td>
                  <td>{e.createdAt.toLocaleString(locale)}</td>
                  <td>{e.createdByEmail ?? "CLI"}</td>
                  <td>{e.status}</td>
                  <td>{e.files.map((f) => `${f.name} (${f.rows})`).join(", ")}</td>
                  <td>{e.status === "done" && <a href={`/api/exports/${e.id}/download`}>{t("export.download")}</a>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </div>
  );
}
