import type { Metadata } from "next";
import { queryFilters, staffPage, type PageProps } from "@/lib/pages";
import { ReviewQueueTable } from "@/components/lead/review-queue-table";
import { ReviewTabs } from "@/components/lead/review-tabs";
import { FilterSelect } from "@/components/ui/form";
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
  const anyOf = (name: "character" | "model" | "annotator", label: string, options: (readonly [string, string])[]) => (
    <FilterSelect label={label} name={name} defaultValue={q[name] ?? ""} options={[["", t("review.filter.any")], ...options]} />
  );
  return (
    <Page title={t("review.title")} tabs={<ReviewTabs current="queue" project={q.project} t={t} />} intro={t("review.intro")}>
      <form method="get" className="panel table-toolbar" aria-label={t("review.filters")} style={{ flexWrap: "wrap" }}>
        <FilterSelect
          label={t("review.filter.project")}
          name="project"
          defaultValue={q.project ?? ""}
          options={[["", t("review.filter.allProjects")], ...queue.projects.map((p) => [p.slug, p.name] as const)]}
        />
        {queue.options && (
          <>
            {anyOf(
              "character",
              t("review.filter.character"),
              queue.options.characters.map((c) => [c, c] as const),
            )}
            {anyOf(
              "model",
              t("review.filter.model"),
              queue.options.models.map((c) => [c, c] as const),
            )}
            {anyOf(
              "annotator",
              t("review.filter.annotator"),
              queue.options.annotators.map((a) => [String(a.id), a.email] as const),
            )}
          </>
        )}
        <FilterSelect
          label={t("review.filter.show")}
          name="all"
          defaultValue={q.all === "1" ? "1" : ""}
          options={[
            ["", t("review.filter.contestedOnly")],
            ["1", t("review.filter.allJudged")],
          ]}
        />
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
