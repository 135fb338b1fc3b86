import Link from "next/link";
import { getTranslator } from "@/lib/i18n/server";

export default async function Forbidden() {
  const { t } = await getTranslator();
  return (
    <div className="panel stack">
      <h1>{t("forbidden.title")}</h1>
      <p>{t("forbidden.body")}</p>
      <Link href="/">{t("common.back")}</Link>
    </div>
  );
}
