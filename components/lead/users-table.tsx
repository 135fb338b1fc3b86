"use client";

import type { ColumnDef } from "@tanstack/react-table";
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { changeUserRoleAction, createUserAction, setUserActiveAction } from "@/app/(lead)/users/actions";
import { DataTable, type Paging } from "@/components/data-table/data-table";
import { ErrorAlert, type Notice, NoticeAlert } from "@/components/ui/alert";
import { formText, useActionForm } from "@/components/ui/use-action-form";
import { Field, Select, SubmitRow } from "@/components/ui/form";
import { canManageUser, ROLES, type Role } from "@/lib/auth/permissions";
import type { Locale, Messages } from "@/lib/i18n";
import { fill } from "@/lib/i18n/fill";
import { StateBadge } from "@/components/ui/badge";

export type UserRow = {
  id: number;
  email: string;
  name: string;
  role: Role;
  active: boolean;
  createdAt: string;
  lastSignInAt: string | null;
};

/** Users with their role and status; leads (de)activate annotators, admins also change roles. */
export function UsersTable({
  rows,
  paging,
  actor,
  messages: m,
  locale,
}: {
  rows: UserRow[];
  paging: Paging;
  actor: { id: number; role: Role; canChangeRoles: boolean };
  messages: Messages;
  locale: Locale;
}) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [notice, setNotice] = useState<Notice | null>(null);

  const act = (fn: () => Promise<{ ok: boolean; message?: string }>) =>
    startTransition(async () => {
      const result = await fn();
      if (!result.ok) setNotice({ ok: false, text: result.message ?? m["error.title"] });
      else router.refresh();
    });

  const columns: ColumnDef<UserRow>[] = [
    {
      id: "email",
      header: m["users.col.email"],
      cell: ({ row }) => (
        <>
          {row.original.email} {row.original.id === actor.id && <span className="muted">{m["users.you"]}</span>}
        </>
      ),
    },
    { id: "name", header: m["users.col.name"], cell: ({ row }) => row.original.name },
    {
      id: "role",
      header: m["users.col.role"],
      cell: ({ row }) =>
        actor.canChangeRoles && row.original.id !== actor.id ? (
          <select
            aria-label={`${m["users.changeRole"]}: ${row.original.email}`}
            value={row.original.role}
            disabled={pending}
            onChange={(e) => act(() => changeUserRoleAction({ userId: row.original.id, role: e.target.value }))}
          >
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {m[`role.${r}`]}
              </option>
            ))}
          </select>
        ) : (
          m[`role.${row.original.role}`]
        ),
    },
    {
      id: "status",
      header: m["users.col.status"],
      cell: ({ row }) => (
        <StateBadge active={row.original.active}>{row.original.active ? m["users.active"] : m["users.inactive"]}</StateBadge>
      ),
    },
    {
      id: "lastSignIn",
      header: m["users.col.lastSignIn"],
      cell: ({ row }) => (row.original.lastSignInAt ? new Date(row.original.lastSignInAt).toLocaleString(locale) : m["users.never"]),
    },
    {
      id: "actions",
      header: m["users.col.actions"],
      cell: ({ row }) =>
        row.original.id !== actor.id && canManageUser(actor.role, row.original.role) ? (
          <button
            type="button"
            className={`btn btn-small ${row.original.active ? "btn-danger" : ""}`}
            disabled={pending}
            aria-label={`${row.original.active ? m["users.deactivate"] : m["users.activate"]}: ${row.original.email}`}
            onClick={() => act(() => setUserActiveAction({ userId: row.original.id, active: !row.original.active }))}
          >
            {row.original.active ? m["users.deactivate"] : m["users.activate"]}
          </button>
        ) : null,
    },
  ];

  return (
    <div className="stack">
      <NoticeAlert notice={notice} />
      <CreateUserForm actorRole={actor.role} messages={m} onCreated={setNotice} />
      <DataTable columns={columns} data={rows} paging={paging} searchable caption={m["users.title"]} messages={m} />
    </div>
  );
}

function CreateUserForm({
  actorRole,
  messages: m,
  onCreated,
}: {
  actorRole: Role;
  messages: Messages;
  onCreated: (notice: Notice) => void;
}) {
  const { pending, errors, error, onSubmit } = useActionForm(
    (data) =>
      createUserAction({ email: formText(data, "email"), name: formText(data, "name"), role: String(data.get("role") ?? "annotator") }),
    (created, form) => {
      form.reset();
      // The generated password is shown once, at the top of the page, with the other outcomes.
      onCreated({
        ok: true,
        text: fill(m["users.createdPassword"], { email: created.user.email, password: created.generatedPassword ?? "" }),
      });
    },
  );
  const roles = ROLES.filter((r) => canManageUser(actorRole, r));
  return (
    <details className="panel">
      <summary>{m["users.create"]}</summary>
      <form className="stack" style={{ marginTop: "1rem", maxWidth: 420 }} onSubmit={onSubmit}>
        <h2>{m["users.createTitle"]}</h2>
        <ErrorAlert error={error} />
        <Field id="new-user-email" label={m["users.col.email"]} errors={errors.email}>
          {(control) => <input {...control} name="email" type="email" required />}
        </Field>
        <Field id="new-user-name" label={m["users.col.name"]}>
          {(control) => <input {...control} name="name" />}
        </Field>
        <Field id="new-user-role" label={m["users.col.role"]}>
          {(control) => (
            <Select {...control} name="role" defaultValue="annotator" options={roles.map((r) => [r, m[`role.${r}`]] as const)} />
          )}
        </Field>
        <SubmitRow busy={pending}>{m["users.create"]}</SubmitRow>
      </form>
    </details>
  );
}
