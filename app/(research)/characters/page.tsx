import type { Metadata } from "next";
import Link from "next/link";
import { CardUpload } from "@/components/research/card-upload";
import { CharactersTable } from "@/components/research/characters-table";
import { getDb } from "@/db/client";
import { can } from "@/lib/auth/permissions";
import { requirePermission } from "@/lib/auth/session";
import { messagesFor } from "@/lib/i18n";
import { getTranslator } from "@/lib/i18n/server";
import { Page } from "@/components/ui/page";
import { listCharactersPage } from "@/lib/services/characters";

export const metadata: Metadata = { title: "Characters" };

export default async function CharactersPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  const actor = await requirePermission("character.read");
  const params = await searchParams;
  const { locale, t } = await getTranslator();
  const result = await listCharactersPage(
    { db: getDb(), actor },
    { search: params.q, page: params.page ?? 1, sort: params.sort, desc: params.desc },
  );
  return (
    <Page
      title={t("characters.title")}
      action={
        can(actor.role, "character.write") && (
          <Link className="btn btn-primary" href="/characters/new">
            {t("characters.new")}
          </Link>
        )
      }
    >
      {can(actor.role, "character.write") && <CardUpload messages={messagesFor(locale)} />}
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
          messages={messagesFor(locale)}
        />
      )}
    </Page>
  );
}
