"use client";

import type { ColumnDef } from "@tanstack/react-table";
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { changeUserRoleAction, createUserAction, setUserActiveAction } from "@/app/(lead)/users/actions";
import { DataTable, type Paging } from "@/components/data-table/data-table";
import { type Notice, NoticeAlert } from "@/components/ui/alert";
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
      <CreateUserForm actorRole={actor.role} messages={m} onDone={setNotice} />
      <DataTable columns={columns} data={rows} paging={paging} searchable caption={m["users.title"]} messages={m} />
    </div>
  );
}

function CreateUserForm({ actorRole, messages: m, onDone }: { actorRole: Role; messages: Messages; onDone: (notice: Notice) => void }) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [errors, setErrors] = useState<Record<string, string[]>>({});
  const roles = ROLES.filter((r) => canManageUser(actorRole, r));
  return (
    <details className="panel">
      <summary>{m["users.create"]}</summary>
      <form
        className="stack"
        style={{ marginTop: "1rem", maxWidth: 420 }}
        onSubmit={(e) => {
          e.preventDefault();
          const form = e.currentTarget;
          const data = new FormData(form);
          startTransition(async () => {
            const result = await createUserAction({
              email: String(data.get("email") ?? ""),
              name: String(data.get("name") ?? ""),
              role: String(data.get("role") ?? "annotator"),
            });
            if (!result.ok) {
              setErrors(result.fieldErrors ?? {});
              onDone({ ok: false, text: result.message });
              return;
            }
            setErrors({});
            form.reset();
            onDone({
              ok: true,
              text: fill(m["users.createdPassword"], { email: result.data.user.email, password: result.data.generatedPassword ?? "" }),
            });
            router.refresh();
          });
        }}
      >
        <h2>{m["users.createTitle"]}</h2>
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
