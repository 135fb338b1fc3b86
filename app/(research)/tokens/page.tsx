import type { Metadata } from "next";
import { staffPage } from "@/lib/pages";
import { TokensPanel } from "@/components/research/tokens-panel";
import { Page } from "@/components/ui/page";
import { listMyTokens } from "@/lib/services/tokens";

export const metadata: Metadata = { title: "API tokens" };
// Reads the session: never prerendered at build time.
export const dynamic = "force-dynamic";

/** The caller's API tokens: create (shown once), list, revoke. Researcher and up. */
export default async function TokensPage() {
  const { ctx, locale, t, messages } = await staffPage("token.create");
  const rows = await listMyTokens(ctx);
  return (
    <Page title={t("tokens.title")} intro={t("tokens.intro")}>
      <TokensPanel
        rows={rows.map((r) => ({
          id: r.id,
          name: r.name,
          tokenPrefix: r.tokenPrefix,
          scopes: r.scopes,
          projectSlug: r.projectSlug,
          state: r.state,
          expiresAt: r.expiresAt?.toISOString() ?? null,
          lastUsedAt: r.lastUsedAt?.toISOString() ?? null,
        }))}
        messages={messages}
        locale={locale}
      />
    </Page>
  );
}
