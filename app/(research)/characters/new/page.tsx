import type { Metadata } from "next";
import { CharacterForm } from "@/components/research/character-form";
import { staffPage } from "@/lib/pages";
import { Page } from "@/components/ui/page";

export const metadata: Metadata = { title: "New character" };

const EXAMPLE = { 性别: "女", 年龄: "19", 性格: "", 说话风格: "", 口头禅: [] as string[] };

export default async function NewCharacterPage() {
  const { t, messages } = await staffPage("character.write");
  return (
    <Page title={t("characters.newTitle")}>
      <CharacterForm initial={{ name: "", profileJson: JSON.stringify(EXAMPLE, null, 2) }} messages={messages} />
    </Page>
  );
}
