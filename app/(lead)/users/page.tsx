import type { Metadata } from "next";
import { staffPage, type PageProps } from "@/lib/pages";
import { UsersTable } from "@/components/lead/users-table";
import { can } from "@/lib/auth/permissions";
import { Page } from "@/components/ui/page";
import { listUsersPage } from "@/lib/services/users";

export const metadata: Metadata = { title: "Users" };

export default async function UsersPage({ searchParams }: PageProps) {
  const { actor, ctx, locale, t, messages } = await staffPage("user.read");
  const params = await searchParams;
  const result = await listUsersPage(ctx, { search: params.q, page: params.page ?? 1 });
  return (
    <Page title={t("users.title")}>
      <UsersTable
        rows={result.rows.map((r) => ({ ...r, createdAt: r.createdAt.toISOString(), lastSignInAt: r.lastSignInAt?.toISOString() ?? null }))}
        paging={result}
        actor={{ id: actor.id, role: actor.role, canChangeRoles: can(actor.role, "user.role.change") }}
        messages={messages}
        locale={locale}
      />
    </Page>
  );
}
