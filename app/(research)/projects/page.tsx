import type { Metadata } from "next";
import { ProjectCard } from "@/components/projects/project-card";
import { getDb } from "@/db/client";
import { requirePermission } from "@/lib/auth/session";
import { getTranslator } from "@/lib/i18n/server";
import { listMyProjects } from "@/lib/services/projects";

export const metadata: Metadata = { title: "Projects" };

export default async function ProjectsPage() {
  const actor = await requirePermission("project.read");
  const { t } = await getTranslator();
  const todaySince = new Date();
  todaySince.setHours(0, 0, 0, 0);
  const projects = await listMyProjects({ db: getDb(), actor }, { todaySince });
  return (
    <div className="stack">
      <h1>{t("projects.title")}</h1>
      {projects.length === 0 ? (
        <p className="panel">{t("home.emptyStaff")}</p>
      ) : (
        <ul className="grid-cards" style={{ listStyle: "none", padding: 0, margin: 0 }} aria-label={t("projects.title")}>
          {projects.map((p) => (
            <li key={p.id}>
              <ProjectCard project={p} t={t} />
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
