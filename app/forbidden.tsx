import Link from "next/link";
import { MessagePage } from "@/components/ui/page";
import { getTranslator } from "@/lib/i18n/server";

export default async function Forbidden() {
  const { t } = await getTranslator();
  return (
    <MessagePage title={t("forbidden.title")} message={t("forbidden.body")}>
      <Link href="/">{t("common.back")}</Link>
    </MessagePage>
  );
}
