import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { CharacterCard } from "@/components/content/character-card";
import { Dialogue } from "@/components/content/dialogue";
import { ModelText } from "@/components/content/model-text";
import { AdjudicationForm, canonicalAnswer, GoldForm, JudgmentCard } from "@/components/lead/task-review";
import { pageData, staffPage, type PageProps } from "@/lib/pages";
import { getTaskReview } from "@/lib/services/review";

export const metadata: Metadata = { title: "Review task" };

const letter = (i: number) => String.fromCharCode(65 + i);

export default async function TaskReviewPage({ params }: PageProps<{ taskId: string }>) {
  const { ctx, t, messages: m } = await staffPage("judgment.review");
  const { taskId } = await params;
  if (!/^\d+$/.test(taskId)) notFound();
  const { task, judgments, scale } = await pageData(getTaskReview(ctx, { taskId }));
  const missing = task.overlap - task.validJudgments - task.liveLeases;
  const adj = task.adjudication;
  return (
    <div className="stack">
      <p>
        <Link href={`/review?project=${encodeURIComponent(task.project.slug)}`}>{t("review.task.back")}</Link>
      </p>
      <h1>{t("review.task.title", { id: task.id })}</h1>
      <p className="muted" data-testid="task-summary">
        {t("review.task.summary", {
          project: task.project.name,
          item: task.item.externalId,
          valid: task.validJudgments,
          overlap: task.overlap,
          live: task.liveLeases,
        })}
      </p>
      {!task.gold && missing > 0 && judgments.some((j) => j.state === "rejected") && (
        <p className="alert alert-ok" role="status">
          {t("review.task.needsMore", { n: missing })}
        </p>
      )}
      <p className="muted">{t("review.task.shown")}</p>
      <CharacterCard name={task.character.name} profile={task.character.profile} label={t("characters.card")} />
      <section className="panel">
        <h2>{t("items.dialogue")}</h2>
        <Dialogue
          messages={task.item.context}
          characterName={task.character.name}
          userLabel={t("items.user")}
          scene={task.item.scene}
          sceneLabel={t("items.scene")}
          markdown={task.project.markdown}
          label={t("items.dialogue")}
        />
      </section>
      <section aria-labelledby="cands-h" className="stack">
        <h2 id="cands-h">{t("items.candidates")}</h2>
        <div className="candidates">
          {task.candidates.map((c, i) => (
            <article key={c.id} className="panel candidate" aria-label={t("review.candidate", { letter: letter(i) })}>
              <h3 style={{ margin: 0 }}>{t("review.candidate", { letter: letter(i) })}</h3>
              <span className="muted" style={{ fontSize: "0.85rem" }}>
                {t("review.model", { model: c.modelVersion ? `${c.model} (${c.modelVersion})` : c.model })}
              </span>
              <ModelText text={c.content} markdown={task.project.markdown} />
            </article>
          ))}
        </div>
      </section>
      <section aria-labelledby="judgments-h" className="stack">
        <h2 id="judgments-h">{t("review.judgments")}</h2>
        {judgments.length === 0 ? (
          <p className="muted">{t("review.noJudgments")}</p>
        ) : (
          <div style={{ display: "flex", gap: "1rem", flexWrap: "wrap", alignItems: "flex-start" }}>
            {judgments.map((j) => (
              <JudgmentCard key={j.id} judgment={j} scalePoints={task.scalePoints} messages={m} />
            ))}
          </div>
        )}
      </section>
      <section aria-labelledby="adj-h" className="panel stack">
        <h2 id="adj-h">{t("review.adjudicate")}</h2>
        <p className="muted">{t("review.adjudicate.intro")}</p>
        {adj && (
          <p>
            {t("review.adjudicate.current", {
              label: canonicalAnswer(
                {
                  strength: adj.label.strength ?? null,
                  ranks: adj.label.ranks ?? null,
                  bothUnacceptable: Boolean(adj.label.bothUnacceptable),
                },
                task.scalePoints,
                m,
              ),
              who: adj.reviewerEmail ?? "?",
            })}
            {adj.note ? ` — ${adj.note}` : ""}
          </p>
        )}
        <AdjudicationForm
          taskId={task.id}
          kind={task.kind}
          scale={scale}
          scalePoints={task.scalePoints}
          candidates={task.candidates.length}
          messages={m}
        />
      </section>
      <section aria-labelledby="gold-h" className="panel stack">
        <h2 id="gold-h">{t("review.gold")}</h2>
        {task.kind === "pairwise" ? (
          <GoldForm
            taskId={task.id}
            scale={scale}
            scalePoints={task.scalePoints}
            gold={task.gold}
            retired={task.goldRetiredAt !== null}
            messages={m}
          />
        ) : (
          <p className="muted">{t("review.gold.pairwiseOnly")}</p>
        )}
      </section>
    </div>
  );
}
