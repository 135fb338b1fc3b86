import type { Metadata } from "next";
import { ModelText } from "@/components/content/model-text";
import { ProjectCard } from "@/components/projects/project-card";
import { ProjectMembers, ProjectStatusButtons } from "@/components/research/project-admin";
import { ProjectTabs } from "@/components/research/project-tabs";
import { getDb } from "@/db/client";
import { can } from "@/lib/auth/permissions";
import { requirePermission } from "@/lib/auth/session";
import { dimensionName } from "@/lib/domain/dimensions";
import { pageData } from "@/lib/pages";
import { messagesFor } from "@/lib/i18n";
import { getTranslator } from "@/lib/i18n/server";
import { getProjectOverview } from "@/lib/services/projects";

export const metadata: Metadata = { title: "Project" };

export default async function ProjectPage({ params }: { params: Promise<{ slug: string }> }) {
  const actor = await requirePermission("project.read");
  const { slug } = await params;
  const { locale, t } = await getTranslator();
  const overview = await pageData(getProjectOverview({ db: getDb(), actor }, { slug }));
  const { project, members, progress, work } = overview;
  const s = project.settings;
  const canWrite = can(actor.role, "project.write");
  return (
    <div className="stack">
      <h1>{project.name}</h1>
      <ProjectTabs slug={project.slug} current="overview" t={t} />
      <div className="grid-cards">
        <ProjectCard project={progress} t={t} />
        <section className="panel stack" aria-labelledby="settings-h">
          <h2 id="settings-h">{t("projects.settings")}</h2>
          <p className="muted" style={{ margin: 0 }}>
            {t("projects.work", { tasks: work.tasks, judgments: work.judgments })}
          </p>
          <dl className="profile">
            <div>
              <dt>{t("form.mode")}</dt>
              <dd>{t(`project.mode.${project.mode}`)}</dd>
            </div>
            <div>
              <dt>{t("form.scalePoints")}</dt>
              <dd>{t(`form.scale.${project.scalePoints as 2 | 3 | 5 | 7}`)}</dd>
            </div>
            <div>
              <dt>{t("form.overlap")}</dt>
              <dd>{project.overlap}</dd>
            </div>
            <div>
              <dt>{t("form.dimensions")}</dt>
              <dd>{s.dimensions.map((k) => dimensionName(k, locale)).join(" · ") || "—"}</dd>
            </div>
            <div>
              <dt>{t("form.goldRatio")}</dt>
              <dd>{s.goldRatio}</dd>
            </div>
            <div>
              <dt>{t("form.leaseMinutes")}</dt>
              <dd>{s.leaseMinutes}</dd>
            </div>
            <div>
              <dt>{t("form.rationale")}</dt>
              <dd>{t(`form.rationale.${s.rationale}`)}</dd>
            </div>
          </dl>
          {canWrite && <ProjectStatusButtons slug={project.slug} status={project.status} messages={messagesFor(locale)} />}
        </section>
      </div>
      <section className="panel stack guidelines" aria-labelledby="guidelines-h">
        <h2 id="guidelines-h">{t("projects.guidelines")}</h2>
        {project.guidelines.trim() ? (
          <ModelText text={project.guidelines} markdown />
        ) : (
          <p className="muted">{t("projects.noGuidelines")}</p>
        )}
      </section>
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
        messages={messagesFor(locale)}
      />
    </div>
  );
}
