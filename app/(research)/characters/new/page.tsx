import type { Metadata } from "next";
import { CharacterForm } from "@/components/research/character-form";
import { requirePermission } from "@/lib/auth/session";
import { messagesFor } from "@/lib/i18n";
import { getTranslator } from "@/lib/i18n/server";
import { Page } from "@/components/ui/page";

export const metadata: Metadata = { title: "New character" };

const EXAMPLE = { 性别: "女", 年龄: "19", 性格: "", 说话风格: "", 口头禅: [] as string[] };

export default async function NewCharacterPage() {
  await requirePermission("character.write");
  const { locale, t } = await getTranslator();
  return (
    <Page title={t("characters.newTitle")}>
      <CharacterForm initial={{ name: "", profileJson: JSON.stringify(EXAMPLE, null, 2) }} messages={messagesFor(locale)} />
    </Page>
  );
}
