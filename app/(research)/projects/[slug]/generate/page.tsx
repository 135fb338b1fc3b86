import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { GenerationPanel } from "@/components/research/generation-panel";
import { ProjectTabs } from "@/components/research/project-tabs";
import { getDb } from "@/db/client";
import { requirePermission } from "@/lib/auth/session";
import { messagesFor } from "@/lib/i18n";
import { getTranslator } from "@/lib/i18n/server";
import { Page } from "@/components/ui/page";
import { listEndpoints } from "@/lib/services/endpoints";
import { listGenerations } from "@/lib/services/generation";
import { findProjectFor } from "@/lib/services/project-access";

export const metadata: Metadata = { title: "Generate" };
export const dynamic = "force-dynamic";

/** "Fill candidates": start a generation job and watch it (researcher and up). */
export default async function GeneratePage({ params }: { params: Promise<{ slug: string }> }) {
  const actor = await requirePermission("generation.create");
  const { slug } = await params;
  const ctx = { db: getDb(), actor };
  // A project out of the actor's reach is answered as a missing one.
  const project = await findProjectFor(ctx, slug);
  if (!project) notFound();
  const { locale, t } = await getTranslator();
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
        messages={messagesFor(locale)}
        locale={locale}
      />
    </Page>
  );
}
