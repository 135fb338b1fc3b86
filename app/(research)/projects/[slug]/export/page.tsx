import type { Metadata } from "next";
import { pageData, staffPage, type PageProps } from "@/lib/pages";
import { ExportPanel } from "@/components/research/export-panel";
import { ProjectTabs } from "@/components/research/project-tabs";
import { Page, Section } from "@/components/ui/page";
import { Table } from "@/components/ui/table";
import { requireProjectFor } from "@/lib/services/project-access";
import { listExports } from "@/lib/services/exports";
import { initialFormPolicy } from "@/lib/validation/export";

export const metadata: Metadata = { title: "Export" };

export default async function ExportPage({ params }: PageProps<{ slug: string }>) {
  const { ctx, locale, t, messages } = await staffPage("export.create");
  const { slug } = await params;
  // A project out of the actor's reach is answered as a missing one.
  const project = await pageData(requireProjectFor(ctx, slug));
  const past = await listExports(ctx, { projectSlug: slug });
  return (
    <Page title={t("export.title", { name: project.name })} tabs={<ProjectTabs slug={slug} current="export" t={t} />}>
      <ExportPanel slug={slug} defaults={initialFormPolicy()} messages={messages} />
      <Section id="past-h" title={t("export.past")}>
        <Table
          rows={past}
          rowKey={(e) => e.id}
          empty={t("export.none")}
          columns={[
            { header: t("export.col.id"), cell: (e) => e.id },
            { header: t("export.col.kind"), cell: (e) => e.kind },
            { header: t("export.col.when"), cell: (e) => e.createdAt.toLocaleString(locale) },
            { header: t("export.col.who"), cell: (e) => e.createdByEmail ?? "CLI" },
            { header: t("export.col.status"), cell: (e) => e.status },
            { header: t("export.col.files"), cell: (e) => e.files.map((f) => `${f.name} (${f.rows})`).join(", ") },
            { cell: (e) => e.status === "done" && <a href={`/api/exports/${e.id}/download`}>{t("export.download")}</a> },
          ]}
        />
      </Section>
    </Page>
  );
}
