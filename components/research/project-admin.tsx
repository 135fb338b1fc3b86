"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { setProjectStatusAction, updateMembersAction } from "@/app/(research)/projects/actions";
import { ErrorAlert, type Notice, NoticeAlert } from "@/components/ui/alert";
import { Section } from "@/components/ui/page";
import { Table } from "@/components/ui/table";
import type { Messages } from "@/lib/i18n";
import { fill } from "@/lib/i18n/fill";

const STATUSES = ["draft", "active", "paused", "archived"] as const;

/** Status changes: one button per other status. */
export function ProjectStatusButtons({ slug, status, messages: m }: { slug: string; status: string; messages: Messages }) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [error, setError] = useState<string | null>(null);
  return (
    <div className="stack" style={{ gap: "0.4rem" }}>
      {/* biome-ignore lint/a11y/useSemanticElements: a toolbar of buttons, not form fields: a fieldset would be the wrong element */}
      <div className="toolbar" role="group" aria-label={m["projects.status"]}>
        <span>
          {m["projects.status"]}:{" "}
          <span className={`badge badge-${status}`}>{m[`project.status.${status as (typeof STATUSES)[number]}`]}</span>
        </span>
        {STATUSES.filter((s) => s !== status).map((s) => (
          <button
            key={s}
            type="button"
            className="btn btn-small"
            disabled={pending}
            onClick={() =>
              startTransition(async () => {
                const result = await setProjectStatusAction({ slug, status: s });
                if (!result.ok) setError(result.message);
                else router.refresh();
              })
            }
          >
            {fill(m["projects.setStatus"], { status: m[`project.status.${s}`] })}
          </button>
        ))}
      </div>
      <ErrorAlert error={error} />
    </div>
  );
}

type Member = { email: string; name: string; role: string; active: boolean; status: string; judgments: number };

/** Who works on the project; researchers and up add members by email and remove them. */
export function ProjectMembers({
  slug,
  members,
  canWrite,
  messages: m,
}: {
  slug: string;
  members: Member[];
  canWrite: boolean;
  messages: Messages;
}) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [add, setAdd] = useState("");
  const [notice, setNotice] = useState<Notice | null>(null);
  const change = (input: { add?: string; remove?: string[] }) =>
    startTransition(async () => {
      const result = await updateMembersAction({ slug, ...input });
      if (!result.ok) {
        setNotice({ ok: false, text: result.message });
        return;
      }
      setNotice({
        ok: true,
        text: fill(m["projects.membersChanged"], { added: result.data.added.length, removed: result.data.removed.length }),
      });
      setAdd("");
      router.refresh();
    });
  return (
    <Section id="members-h" title={m["projects.members"]}>
      <NoticeAlert notice={notice} />
      <Table
        rows={members}
        rowKey={(mbr) => mbr.email}
        empty={m["projects.membersEmpty"]}
        columns={[
          {
            header: m["users.col.email"],
            cell: (mbr) =>
              mbr.active ? (
                mbr.email
              ) : (
                <>
                  {mbr.email} <span className="badge badge-inactive">{m["users.inactive"]}</span>
                </>
              ),
          },
          { header: m["users.col.name"], cell: (mbr) => mbr.name },
          { header: m["users.col.role"], cell: (mbr) => m[`role.${mbr.role as "annotator"}`] ?? mbr.role },
          { header: m["projects.col.judgments"], cell: (mbr) => mbr.judgments },
          canWrite && {
            header: m["users.col.actions"],
            cell: (mbr) => (
              <button
                type="button"
                className="btn btn-small btn-danger"
                disabled={pending}
                aria-label={`${m["projects.membersRemove"]}: ${mbr.email}`}
                onClick={() => change({ remove: [mbr.email] })}
              >
                {m["projects.membersRemove"]}
              </button>
            ),
          },
        ]}
      />
      {canWrite && (
        <form
          className="toolbar"
          onSubmit={(e) => {
            e.preventDefault();
            change({ add });
          }}
        >
          <label htmlFor="members-add">{m["projects.membersAdd"]}</label>
          <input id="members-add" value={add} onChange={(e) => setAdd(e.target.value)} style={{ minWidth: "20rem" }} />
          <button className="btn" type="submit" disabled={pending || !add.trim()}>
            {m["projects.membersSave"]}
          </button>
        </form>
      )}
    </Section>
  );
}
