import type { Metadata } from "next";
import { pageData, staffPage, type PageProps } from "@/lib/pages";
import { GenerationPanel } from "@/components/research/generation-panel";
import { ProjectTabs } from "@/components/research/project-tabs";
import { Page } from "@/components/ui/page";
import { listEndpoints } from "@/lib/services/endpoints";
import { listGenerations } from "@/lib/services/generation";
import { requireProjectFor } from "@/lib/services/project-access";

export const metadata: Metadata = { title: "Generate" };
export const dynamic = "force-dynamic";

/** "Fill candidates": start a generation job and watch it (researcher and up). */
export default async function GeneratePage({ params }: PageProps<{ slug: string }>) {
  const { ctx, locale, t, messages } = await staffPage("generation.create");
  const { slug } = await params;
  // A project out of the actor's reach is answered as a missing one.
  const project = await pageData(requireProjectFor(ctx, slug));
  const [endpoints, jobs] = await Promise.all([listEndpoints(ctx), listGenerations(ctx, { projectSlug: slug })]);
  return (
    <Page
      title={t("generate.title", { name: project.name })}
      tabs={<ProjectTabs slug={project.slug} current="generate" t={t} />}
      intro={t("generate.intro")}
    >
      <GenerationPanel
        slug={project.slug}
        endpoints={endpoints.map((e) => ({ name: e.name, model: e.model, isDemo: e.isDemo }))}
        jobs={jobs}
        messages={messages}
        locale={locale}
      />
    </Page>
  );
}
