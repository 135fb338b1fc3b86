import type { Metadata } from "next";
import { staffPage } from "@/lib/pages";
import { EndpointsPanel } from "@/components/research/endpoints-panel";
import { can } from "@/lib/auth/permissions";
import { Page } from "@/components/ui/page";
import { listEndpoints } from "@/lib/services/endpoints";

export const metadata: Metadata = { title: "Model endpoints" };
export const dynamic = "force-dynamic";

/** The model endpoints: staff see them; admins add, test and archive them. */
export default async function EndpointsPage() {
  const { actor, ctx, t, messages } = await staffPage("endpoint.read");
  const endpoints = await listEndpoints(ctx, { includeArchived: can(actor.role, "endpoint.write") });
  return (
    <Page title={t("endpoints.title")} intro={t("endpoints.intro")}>
      <p className="muted">{t("endpoints.demoNote")}</p>
      <EndpointsPanel endpoints={endpoints} canWrite={can(actor.role, "endpoint.write")} messages={messages} />
    </Page>
  );
}
