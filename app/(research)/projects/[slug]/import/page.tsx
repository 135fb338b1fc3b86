import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { ImportUpload } from "@/components/research/import-upload";
import { ProjectTabs } from "@/components/research/project-tabs";
import { getDb } from "@/db/client";
import { findProjectFor } from "@/lib/services/project-access";
import { requirePermission } from "@/lib/auth/session";
import { messagesFor } from "@/lib/i18n";
import { getTranslator } from "@/lib/i18n/server";
import { Page } from "@/components/ui/page";

export const metadata: Metadata = { title: "Import" };

export default async function ImportPage({ params }: { params: Promise<{ slug: string }> }) {
  const actor = await requirePermission("item.import");
  const { slug } = await params;
  const project = await findProjectFor({ db: getDb(), actor }, slug);
  if (!project) notFound();
  const { locale, t } = await getTranslator();
  return (
    <Page title={t("import.title", { name: project.name })} tabs={<ProjectTabs slug={project.slug} current="import" t={t} />}>
      <ImportUpload slug={project.slug} messages={messagesFor(locale)} />
    </Page>
  );
}
