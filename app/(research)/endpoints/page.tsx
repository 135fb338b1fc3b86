import type { Metadata } from "next";
import { EndpointsPanel } from "@/components/research/endpoints-panel";
import { getDb } from "@/db/client";
import { can } from "@/lib/auth/permissions";
import { requirePermission } from "@/lib/auth/session";
import { messagesFor } from "@/lib/i18n";
import { getTranslator } from "@/lib/i18n/server";
import { listEndpoints } from "@/lib/services/endpoints";

export const metadata: Metadata = { title: "Model endpoints" };
export const dynamic = "force-dynamic";

/** The model endpoints: staff see them; admins add, test and archive them. */
export default async function EndpointsPage() {
  const actor = await requirePermission("endpoint.read");
  const { locale, t } = await getTranslator();
  const endpoints = await listEndpoints({ db: getDb(), actor }, { includeArchived: can(actor.role, "endpoint.write") });
  return (
    <div className="stack">
      <h1>{t("endpoints.title")}</h1>
      <p className="muted">{t("endpoints.intro")}</p>
      <p className="muted">{t("endpoints.demoNote")}</p>
      <EndpointsPanel endpoints={endpoints} canWrite={can(actor.role, "endpoint.write")} messages={messagesFor(locale)} />
    </div>
  );
}
