import { ProjectCard } from "@/components/projects/project-card";
import { getDb } from "@/db/client";
import { can } from "@/lib/auth/permissions";
import { requireUser } from "@/lib/auth/session";
import { getTranslator } from "@/lib/i18n/server";
import { listMyProjects } from "@/lib/services/projects";

export default async function HomePage() {
  const user = await requireUser();
  const { t } = await getTranslator();
  const todaySince = new Date();
  todaySince.setHours(0, 0, 0, 0);
  const projects = await listMyProjects({ db: getDb(), actor: user }, { todaySince });
  const staff = can(user.role, "project.read");
  return (
    <div className="stack">
      <div>
        <h1>{staff ? t("home.staffTitle") : t("home.title")}</h1>
        <p className="muted">{t("home.welcome", { name: user.name || user.email, role: t(`role.${user.role}`) })}</p>
      </div>
      {projects.length === 0 ? (
        <p className="panel">{staff ? t("home.emptyStaff") : t("home.empty")}</p>
      ) : (
        <ul className="grid-cards" style={{ listStyle: "none", padding: 0, margin: 0 }} aria-label={t("home.title")}>
          {projects.map((p) => (
            <li key={p.id}>
              <ProjectCard
                project={p}
                t={t}
                href={staff ? `/projects/${p.slug}` : p.kind === "live" ? `/live/${p.slug}` : `/annotate/${p.slug}`}
              />
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
