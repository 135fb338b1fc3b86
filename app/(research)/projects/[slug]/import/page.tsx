import type { Metadata } from "next";
import { pageData, staffPage, type PageProps } from "@/lib/pages";
import { ImportUpload } from "@/components/research/import-upload";
import { ProjectTabs } from "@/components/research/project-tabs";
import { requireProjectFor } from "@/lib/services/project-access";
import { Page } from "@/components/ui/page";

export const metadata: Metadata = { title: "Import" };

export default async function ImportPage({ params }: PageProps<{ slug: string }>) {
  const { ctx, t, messages } = await staffPage("item.import");
  const { slug } = await params;
  // A project out of the actor's reach is answered as a missing one.
  const project = await pageData(requireProjectFor(ctx, slug));
  return (
    <Page title={t("import.title", { name: project.name })} tabs={<ProjectTabs slug={project.slug} current="import" t={t} />}>
      <ImportUpload slug={project.slug} messages={messages} />
    </Page>
  );
}
