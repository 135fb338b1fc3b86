import type { Metadata } from "next";
import { queryFilters, staffPage, type PageProps } from "@/lib/pages";
import { ReviewQueueTable } from "@/components/lead/review-queue-table";
import { ReviewTabs } from "@/components/lead/review-tabs";
import { Page } from "@/components/ui/page";
import { listReviewQueue } from "@/lib/services/review";

export const metadata: Metadata = { title: "Review queue" };

export default async function ReviewQueuePage({ searchParams }: PageProps) {
  const { ctx, t, messages } = await staffPage("judgment.review");
  const q = await searchParams;
  const queue = await listReviewQueue(ctx, {
    projectSlug: q.project || undefined,
    ...queryFilters(q, ["character", "model", "annotator"]),
    contestedOnly: q.all !== "1",
    rank: q.rank === "uncertainty" && q.project ? "uncertainty" : "contest",
    page: q.page ?? 1,
  });
  return (
    <Page title={t("review.title")} tabs={<ReviewTabs current="queue" project={q.project} t={t} />} intro={t("review.intro")}>
      <form method="get" className="panel table-toolbar" aria-label={t("review.filters")} style={{ flexWrap: "wrap" }}>
        <label>
          {t("review.filter.project")}{" "}
          <select name="project" defaultValue={q.project ?? ""}>
            <option value="">{t("review.filter.allProjects")}</option>
            {queue.projects.map((p) => (
              <option key={p.slug} value={p.slug}>
                {p.name}
              </option>
            ))}
          </select>
        </label>
        {queue.options && (
          <>
            <label>
              {t("review.filter.character")}{" "}
              <select name="character" defaultValue={q.character ?? ""}>
                <option value="">{t("review.filter.any")}</option>
                {queue.options.characters.map((c) => (
                  <option key={c}>{c}</option>
                ))}
              </select>
            </label>
            <label>
              {t("review.filter.model")}{" "}
              <select name="model" defaultValue={q.model ?? ""}>
                <option value="">{t("review.filter.any")}</option>
                {queue.options.models.map((c) => (
                  <option key={c}>{c}</option>
                ))}
              </select>
            </label>
            <label>
              {t("review.filter.annotator")}{" "}
              <select name="annotator" defaultValue={q.annotator ?? ""}>
                <option value="">{t("review.filter.any")}</option>
                {queue.options.annotators.map((a) => (
                  <option key={a.id} value={a.id}>
                    {a.email}
                  </option>
                ))}
              </select>
            </label>
          </>
        )}
        <label>
          {t("review.filter.show")}{" "}
          <select name="all" defaultValue={q.all === "1" ? "1" : ""}>
            <option value="">{t("review.filter.contestedOnly")}</option>
            <option value="1">{t("review.filter.allJudged")}</option>
          </select>
        </label>
        <label>
          {t("review.filter.rank")}{" "}
          <select name="rank" defaultValue={q.rank === "uncertainty" ? "uncertainty" : ""}>
            <option value="">{t("review.rank.contest")}</option>
            <option value="uncertainty" disabled={!q.project}>
              {t("review.rank.uncertainty")}
            </option>
          </select>
        </label>
        <button className="btn" type="submit">
          {t("review.filter.apply")}
        </button>
      </form>
      <ReviewQueueTable rows={queue.rows} paging={queue} messages={messages} />
    </Page>
  );
}
