import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { CharacterCard } from "@/components/content/character-card";
import { CharacterForm } from "@/components/research/character-form";
import { can } from "@/lib/auth/permissions";
import { pageData, staffPage, type PageProps } from "@/lib/pages";
import { Page, Section } from "@/components/ui/page";
import { getCharacterDetail } from "@/lib/services/characters";

export const metadata: Metadata = { title: "Character" };

export default async function CharacterPage({ params, searchParams }: PageProps<{ id: string }>) {
  const { actor, ctx, t, messages } = await staffPage("character.read");
  const [{ id }, query] = await Promise.all([params, searchParams]);
  if (!/^\d+$/.test(id)) notFound();
  const detail = await pageData(getCharacterDetail(ctx, { id: Number(id) }));
  const { character, projects } = detail;
  const editing = query.edit === "1" && can(actor.role, "character.write");
  return (
    <Page
      title={editing ? t("characters.editTitle", { name: character.name }) : character.name}
      action={
        !editing &&
        can(actor.role, "character.write") && (
          <Link className="btn" href={`/characters/${character.id}?edit=1`}>
            {t("characters.edit")}
          </Link>
        )
      }
    >
      {editing ? (
        <CharacterForm
          id={character.id}
          initial={{ name: character.name, profileJson: JSON.stringify(character.profile, null, 2) }}
          messages={messages}
        />
      ) : (
        <CharacterCard name={character.name} profile={character.profile} label={t("characters.card")} />
      )}
      <Section id="used-h" title={t("characters.usedIn")}>
        {projects.length === 0 ? (
          <p className="muted">{t("characters.notUsed")}</p>
        ) : (
          <ul>
            {projects.map((p) => (
              <li key={p.slug}>
                <Link href={`/projects/${p.slug}/items?character=${character.id}`}>{p.name}</Link> · {t("project.items", { n: p.items })}
              </li>
            ))}
          </ul>
        )}
      </Section>
    </Page>
  );
}
