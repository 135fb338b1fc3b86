import type { Metadata } from "next";
import { TokensPanel } from "@/components/research/tokens-panel";
import { getDb } from "@/db/client";
import { requirePermission } from "@/lib/auth/session";
import { messagesFor } from "@/lib/i18n";
import { getTranslator } from "@/lib/i18n/server";
import { Page } from "@/components/ui/page";
import { listMyTokens } from "@/lib/services/tokens";

export const metadata: Metadata = { title: "API tokens" };
// Reads the session: never prerendered at build time.
export const dynamic = "force-dynamic";

/** The caller's API tokens: create (shown once), list, revoke. Researcher and up. */
export default async function TokensPage() {
  const actor = await requirePermission("token.create");
  const { locale, t } = await getTranslator();
  const rows = await listMyTokens({ db: getDb(), actor });
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
        messages={messagesFor(locale)}
        locale={locale}
      />
    </Page>
  );
}
