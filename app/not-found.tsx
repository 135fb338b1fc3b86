import Link from "next/link";
import { getTranslator } from "@/lib/i18n/server";

export default async function NotFound() {
  const { t } = await getTranslator();
  return (
    <div className="panel stack">
      <h1>{t("notFound.title")}</h1>
      <p>{t("notFound.body")}</p>
      <Link href="/">{t("common.back")}</Link>
    </div>
  );
}
