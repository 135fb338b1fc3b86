import type { Metadata } from "next";
import { UsersTable } from "@/components/lead/users-table";
import { getDb } from "@/db/client";
import { can } from "@/lib/auth/permissions";
import { requirePermission } from "@/lib/auth/session";
import { messagesFor } from "@/lib/i18n";
import { getTranslator } from "@/lib/i18n/server";
import { Page } from "@/components/ui/page";
import { listUsersPage } from "@/lib/services/users";

export const metadata: Metadata = { title: "Users" };

export default async function UsersPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  const actor = await requirePermission("user.read");
  const params = await searchParams;
  const { locale, t } = await getTranslator();
  const result = await listUsersPage({ db: getDb(), actor }, { search: params.q, page: params.page ?? 1 });
  return (
    <Page title={t("users.title")}>
      <UsersTable
        rows={result.rows.map((r) => ({ ...r, createdAt: r.createdAt.toISOString(), lastSignInAt: r.lastSignInAt?.toISOString() ?? null }))}
        paging={result}
        actor={{ id: actor.id, role: actor.role, canChangeRoles: can(actor.role, "user.role.change") }}
        messages={messagesFor(locale)}
        locale={locale}
      />
    </Page>
  );
}
