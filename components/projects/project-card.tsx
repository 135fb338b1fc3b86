import Link from "next/link";
import type { ProjectProgress } from "@/db/queries/projects";
import type { Translator } from "@/lib/i18n";
import { ProgressBar } from "@/components/ui/progress-bar";

/** A project with its real progress: tasks complete, judgments given, the user's own count. */
export function ProjectCard({ project: p, t, href }: { project: ProjectProgress; t: Translator; href?: string }) {
  return (
    <article className="panel stack" aria-labelledby={`project-${p.id}`} style={{ gap: "0.6rem" }}>
      <div style={{ display: "flex", justifyContent: "space-between", gap: "0.5rem", alignItems: "baseline" }}>
        <h2 id={`project-${p.id}`}>{href ? <Link href={href}>{p.name}</Link> : p.name}</h2>
        <span className={`badge badge-${p.status}`}>{t(`project.status.${p.status}`)}</span>
      </div>
      {p.description && (
        <p className="muted" style={{ margin: 0 }}>
          {p.description}
        </p>
      )}
      <p className="muted" style={{ margin: 0, fontSize: "0.9rem" }}>
        {t(`project.mode.${p.mode}`)} · {t("project.scale", { n: p.scalePoints })} · {t("project.overlap", { n: p.overlap })} ·{" "}
        {t("project.items", { n: p.items })}
      </p>
      <ProgressBar value={p.judgments} max={p.judgmentsNeeded} label={t("project.progress", { name: p.name })} />
      <p style={{ margin: 0, fontSize: "0.9rem" }}>
        {t("project.judgments", { done: p.judgments, needed: p.judgmentsNeeded })} ·{" "}
        {t("project.tasks", { done: p.tasksComplete, total: p.tasks })}
      </p>
      <p className="muted" style={{ margin: 0, fontSize: "0.9rem" }}>
        {t("project.myToday", { today: p.myJudgmentsToday, total: p.myJudgments })}
      </p>
    </article>
  );
}
