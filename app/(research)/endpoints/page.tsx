import type { Metadata } from "next";
import { EndpointsPanel } from "@/components/research/endpoints-panel";
import { getDb } from "@/db/client";
import { can } from "@/lib/auth/permissions";
import { requirePermission } from "@/lib/auth/session";
import { messagesFor } from "@/lib/i18n";
import { getTranslator } from "@/lib/i18n/server";
import { Page } from "@/components/ui/page";
import { listEndpoints } from "@/lib/services/endpoints";

export const metadata: Metadata = { title: "Model endpoints" };
export const dynamic = "force-dynamic";

/** The model endpoints: staff see them; admins add, test and archive them. */
export default async function EndpointsPage() {
  const actor = await requirePermission("endpoint.read");
  const { locale, t } = await getTranslator();
  const endpoints = await listEndpoints({ db: getDb(), actor }, { includeArchived: can(actor.role, "endpoint.write") });
  return (
    <Page title={t("endpoints.title")} intro={t("endpoints.intro")}>
      <p className="muted">{t("endpoints.demoNote")}</p>
      <EndpointsPanel endpoints={endpoints} canWrite={can(actor.role, "endpoint.write")} messages={messagesFor(locale)} />
    </Page>
  );
}
