import type { Metadata } from "next";
import { ModelText } from "@/components/content/model-text";
import { ProjectCard } from "@/components/projects/project-card";
import { ProjectMembers, ProjectStatusButtons } from "@/components/research/project-admin";
import { ProjectTabs } from "@/components/research/project-tabs";
import { can } from "@/lib/auth/permissions";
import { dimensionName } from "@/lib/domain/dimensions";
import { pageData, staffPage, type PageProps } from "@/lib/pages";
import { Page, Section } from "@/components/ui/page";
import { Terms } from "@/components/ui/terms";
import { getProjectOverview } from "@/lib/services/projects";

export const metadata: Metadata = { title: "Project" };

export default async function ProjectPage({ params }: PageProps<{ slug: string }>) {
  const { actor, ctx, locale, t, messages } = await staffPage("project.read");
  const { slug } = await params;
  const overview = await pageData(getProjectOverview(ctx, { slug }));
  const { project, members, progress, work } = overview;
  const s = project.settings;
  const canWrite = can(actor.role, "project.write");
  const settingsShown = [
    { term: t("form.mode"), value: t(`project.mode.${project.mode}`) },
    { term: t("form.scalePoints"), value: t(`form.scale.${project.scalePoints as 2 | 3 | 5 | 7}`) },
    { term: t("form.overlap"), value: project.overlap },
    { term: t("form.dimensions"), value: s.dimensions.map((k) => dimensionName(k, locale)).join(" · ") || "—" },
    { term: t("form.goldRatio"), value: s.goldRatio },
    { term: t("form.leaseMinutes"), value: s.leaseMinutes },
    { term: t("form.rationale"), value: t(`form.rationale.${s.rationale}`) },
  ];
  return (
    <Page title={project.name} tabs={<ProjectTabs slug={project.slug} current="overview" t={t} />}>
      <div className="grid-cards">
        <ProjectCard project={progress} t={t} />
        <Section id="settings-h" title={t("projects.settings")} note={t("projects.work", { tasks: work.tasks, judgments: work.judgments })}>
          <Terms className="profile" items={settingsShown} />
          {canWrite && <ProjectStatusButtons slug={project.slug} status={project.status} messages={messages} />}
        </Section>
      </div>
      <Section id="guidelines-h" title={t("projects.guidelines")} className="panel stack guidelines">
        {project.guidelines.trim() ? (
          <ModelText text={project.guidelines} markdown />
        ) : (
          <p className="muted">{t("projects.noGuidelines")}</p>
        )}
      </Section>
      <ProjectMembers
        slug={project.slug}
        members={members.map((mbr) => ({
          email: mbr.email,
          name: mbr.name,
          role: mbr.role,
          active: mbr.active,
          status: mbr.status,
          judgments: mbr.judgments,
        }))}
        canWrite={canWrite}
        messages={messages}
      />
    </Page>
  );
}
