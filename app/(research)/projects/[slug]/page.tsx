import type { Metadata } from "next";
import { ModelText } from "@/components/content/model-text";
import { ProjectCard } from "@/components/projects/project-card";
import { ProjectMembers, ProjectStatusButtons } from "@/components/research/project-admin";
import { ProjectTabs } from "@/components/research/project-tabs";
import { can } from "@/lib/auth/permissions";
import { dimensionName } from "@/lib/domain/dimensions";
import { pageData, staffPage, type PageProps } from "@/lib/pages";
import { Page, Section } from "@/components/ui/page";
import { getProjectOverview } from "@/lib/services/projects";

export const metadata: Metadata = { title: "Project" };

export default async function ProjectPage({ params }: PageProps<{ slug: string }>) {
  const { actor, ctx, locale, t, messages } = await staffPage("project.read");
  const { slug } = await params;
  const overview = await pageData(getProjectOverview(ctx, { slug }));
  const { project, members, progress, work } = overview;
  const s = project.settings;
  const canWrite = can(actor.role, "project.write");
  const settingsShown: [string, string | number][] = [
    [t("form.mode"), t(`project.mode.${project.mode}`)],
    [t("form.scalePoints"), t(`form.scale.${project.scalePoints as 2 | 3 | 5 | 7}`)],
    [t("form.overlap"), project.overlap],
    [t("form.dimensions"), s.dimensions.map((k) => dimensionName(k, locale)).join(" · ") || "—"],
    [t("form.goldRatio"), s.goldRatio],
    [t("form.leaseMinutes"), s.leaseMinutes],
    [t("form.rationale"), t(`form.rationale.${s.rationale}`)],
  ];
  return (
    <Page title={project.name} tabs={<ProjectTabs slug={project.slug} current="overview" t={t} />}>
      <div className="grid-cards">
        <ProjectCard project={progress} t={t} />
        <Section id="settings-h" title={t("projects.settings")} note={t("projects.work", { tasks: work.tasks, judgments: work.judgments })}>
          <dl className="profile">
            {settingsShown.map(([term, value]) => (
              <div key={term}>
                <dt>{term}</dt>
                <dd>{value}</dd>
              </div>
            ))}
          </dl>
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
