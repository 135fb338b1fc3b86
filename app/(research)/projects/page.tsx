import type { Metadata } from "next";
import Link from "next/link";
import { ProjectCard } from "@/components/projects/project-card";
import { getDb } from "@/db/client";
import { can } from "@/lib/auth/permissions";
import { requirePermission } from "@/lib/auth/session";
import { getTranslator } from "@/lib/i18n/server";
import { Page } from "@/components/ui/page";
import { listMyProjects } from "@/lib/services/projects";

export const metadata: Metadata = { title: "Projects" };

export default async function ProjectsPage() {
  const actor = await requirePermission("project.read");
  const { t } = await getTranslator();
  const todaySince = new Date();
  todaySince.setHours(0, 0, 0, 0);
  const projects = await listMyProjects({ db: getDb(), actor }, { todaySince });
  return (
    <Page
      title={t("projects.title")}
      action={
        can(actor.role, "project.write") && (
          <Link className="btn btn-primary" href="/projects/new">
            {t("projects.new")}
          </Link>
        )
      }
    >
      {projects.length === 0 ? (
        <p className="panel">{t("home.emptyStaff")}</p>
      ) : (
        <ul className="grid-cards" style={{ listStyle: "none", padding: 0, margin: 0 }} aria-label={t("projects.title")}>
          {projects.map((p) => (
            <li key={p.id}>
              <ProjectCard project={p} t={t} href={`/projects/${p.slug}`} />
            </li>
          ))}
        </ul>
      )}
    </Page>
  );
}
