import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { CharacterCard } from "@/components/content/character-card";
import { Dialogue } from "@/components/content/dialogue";
import { ModelText } from "@/components/content/model-text";
import { ProjectTabs } from "@/components/research/project-tabs";
import { getDb } from "@/db/client";
import { getProjectBySlug } from "@/db/queries/projects";
import { pageData, staffPage, type PageProps } from "@/lib/pages";
import { getItemDetail } from "@/lib/services/items";

export const metadata: Metadata = { title: "Item" };

const letter = (i: number) => String.fromCharCode(65 + i);

export default async function ItemPage({ params }: PageProps<{ slug: string; id: string }>) {
  const { ctx, t } = await staffPage("project.read");
  const { slug, id } = await params;
  if (!/^\d+$/.test(id)) notFound();
  const item = await pageData(getItemDetail(ctx, { projectSlug: slug, itemId: Number(id) }));
  const project = (await getProjectBySlug(getDb(), slug))!;
  const markdown = Boolean(project.settings.markdown);
  const idToPosition = new Map(item.candidates.map((c) => [c.id, c.position]));
  return (
    <div className="stack">
      <h1>{t("items.detail", { id: item.externalId })}</h1>
      <ProjectTabs slug={slug} current="items" t={t} />
      <p className="muted">{t("items.preview")}</p>
      <CharacterCard name={item.character.name} profile={item.character.profile} label={t("characters.card")} />
      <section className="panel">
        <h2>{t("items.dialogue")}</h2>
        <Dialogue
          messages={item.context}
          characterName={item.character.name}
          userLabel={t("items.user")}
          scene={item.scene}
          sceneLabel={t("items.scene")}
          markdown={markdown}
          label={t("items.dialogue")}
        />
      </section>
      <section aria-labelledby="cands-h" className="stack">
        <h2 id="cands-h">{t("items.candidates")}</h2>
        <div className="candidates">
          {item.candidates.map((c) => (
            <article key={c.id} className="panel candidate" aria-label={t("items.candidate", { letter: letter(c.position) })}>
              <h3 style={{ margin: 0 }}>{t("items.candidate", { letter: letter(c.position) })}</h3>
              <span className="muted" style={{ fontSize: "0.85rem" }}>
                {t("items.model", { model: c.modelVersion ? `${c.model} (${c.modelVersion})` : c.model })}
              </span>
              <ModelText text={c.content} markdown={markdown} />
            </article>
          ))}
        </div>
      </section>
      <section className="panel stack" aria-labelledby="tasks-h">
        <h2 id="tasks-h">{t("items.tasks")}</h2>
        <table className="data">
          <tbody>
            {item.tasks.map((task) => (
              <tr key={task.id}>
                <td>#{task.id}</td>
                <td>{t(`project.mode.${task.kind}`)}</td>
                <td>{task.candidateIds.map((cid) => letter(idToPosition.get(cid) ?? 0)).join(task.kind === "pairwise" ? " vs " : ", ")}</td>
                <td>
                  {task.validJudgments} / {task.gold ? "∞" : task.overlap}
                </td>
                <td>{task.gold ? `${t("items.gold")}: ${JSON.stringify(task.gold)}` : ""}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </div>
  );
}
