import type { Metadata } from "next";
import { staffPage, type PageProps } from "@/lib/pages";
import { CardUpload } from "@/components/research/card-upload";
import { CharactersTable } from "@/components/research/characters-table";
import { can } from "@/lib/auth/permissions";
import { Page } from "@/components/ui/page";
import { listCharactersPage } from "@/lib/services/characters";

export const metadata: Metadata = { title: "Characters" };

export default async function CharactersPage({ searchParams }: PageProps) {
  const { actor, ctx, t, messages } = await staffPage("character.read");
  const params = await searchParams;
  const result = await listCharactersPage(ctx, { search: params.q, page: params.page ?? 1, sort: params.sort, desc: params.desc });
  return (
    <Page
      title={t("characters.title")}
      create={can(actor.role, "character.write") && { href: "/characters/new", label: t("characters.new") }}
    >
      {can(actor.role, "character.write") && <CardUpload messages={messages} />}
      {result.total === 0 && !params.q ? (
        <p className="panel">{t("characters.empty")}</p>
      ) : (
        <CharactersTable
          rows={result.rows.map((r) => ({
            id: r.id,
            name: r.name,
            attributes: Object.keys(r.profile ?? {}),
            projects: r.projects,
            items: r.items,
          }))}
          paging={result}
          sort={{ id: result.sort, desc: result.desc }}
          messages={messages}
        />
      )}
    </Page>
  );
}
