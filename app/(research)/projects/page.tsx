import type { Metadata } from "next";
import { staffPage } from "@/lib/pages";
import { ProjectCard } from "@/components/projects/project-card";
import { can } from "@/lib/auth/permissions";
import { Page } from "@/components/ui/page";
import { listMyProjects } from "@/lib/services/projects";

export const metadata: Metadata = { title: "Projects" };

export default async function ProjectsPage() {
  const { actor, ctx, t } = await staffPage("project.read");
  const todaySince = new Date();
  todaySince.setHours(0, 0, 0, 0);
  const projects = await listMyProjects(ctx, { todaySince });
  return (
    <Page title={t("projects.title")} create={can(actor.role, "project.write") && { href: "/projects/new", label: t("projects.new") }}>
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
