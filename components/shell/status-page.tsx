import Link from "next/link";
import { MessagePage } from "@/components/ui/page";
import { getTranslator } from "@/lib/i18n/server";

/** The 404 and 403 pages: what happened, in the UI language, and the way back home. */
export async function StatusPage({ status }: { status: "notFound" | "forbidden" }) {
  const { t } = await getTranslator();
  return (
    <MessagePage title={t(`${status}.title`)} message={t(`${status}.body`)}>
      <Link href="/">{t("common.back")}</Link>
    </MessagePage>
  );
}
