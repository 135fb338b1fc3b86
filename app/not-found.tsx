import Link from "next/link";
import { MessagePage } from "@/components/ui/page";
import { getTranslator } from "@/lib/i18n/server";

export default async function NotFound() {
  const { t } = await getTranslator();
  return (
    <MessagePage title={t("notFound.title")} message={t("notFound.body")}>
      <Link href="/">{t("common.back")}</Link>
    </MessagePage>
  );
}
