import type { Metadata } from "next";
import { ItemsTable } from "@/components/research/items-table";
import { ProjectTabs } from "@/components/research/project-tabs";
import { pageData, queryFilters, staffPage, type PageProps } from "@/lib/pages";
import { Page } from "@/components/ui/page";
import { listItemsPage } from "@/lib/services/items";
import { getProjectOverview } from "@/lib/services/projects";

export const metadata: Metadata = { title: "Items" };

export default async function ItemsPage({ params, searchParams }: PageProps<{ slug: string }>) {
  const { ctx, t, messages } = await staffPage("project.read");
  const [{ slug }, q] = await Promise.all([params, searchParams]);
  const overview = await pageData(getProjectOverview(ctx, { slug }));
  const page = await listItemsPage(ctx, {
    projectSlug: slug,
    ...queryFilters(q, ["model", "state", "sort", "desc"]),
    // The page's names for the character filters: typed name, or the id a character page links with.
    search: q.q || undefined,
    character: q.characterName || undefined,
    characterId: q.character || undefined,
    page: q.page ?? 1,
  });
  return (
    <Page title={t("items.title", { name: overview.project.name })} tabs={<ProjectTabs slug={slug} current="items" t={t} />}>
      <ItemsTable
        slug={slug}
        rows={page.rows}
        paging={page}
        sort={{ id: q.sort ?? "id", desc: q.desc === "1" }}
        filters={{ model: q.model ?? "", state: q.state ?? "", characterName: q.characterName ?? "" }}
        messages={messages}
      />
    </Page>
  );
}
