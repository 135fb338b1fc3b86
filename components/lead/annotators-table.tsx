"use client";

import type { ColumnDef } from "@tanstack/react-table";
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { previewExclusionAction, setAnnotatorExcludedAction, setAnnotatorStatusAction } from "@/app/(lead)/annotators/actions";
import { pct } from "@/components/dashboard/format";
import { DataTable } from "@/components/data-table/data-table";
import { ErrorAlert } from "@/components/ui/alert";
import type { Messages } from "@/lib/i18n";
import { fill } from "@/lib/i18n/fill";
import type { AnnotatorStats } from "@/lib/services/stats";
import type { MemberStatus } from "@/lib/domain/enums";
import { StateBadge } from "@/components/ui/badge";

export type AnnotatorTableRow = {
  userId: number;
  email: string;
  name: string;
  status: MemberStatus;
  excluded: boolean;
  stats: AnnotatorStats | null;
};

type Pending = { userId: number; email: string; excluded: boolean; valid: number; counted: number; tasks: number };

const withCi = (p: { value: number; low: number; high: number; n: number } | null | undefined) =>
  p ? `${pct(p.value)} [${pct(p.low)}, ${pct(p.high)}] n=${p.n}` : "—";

/** A project's members with quality figures and outlier flags; pause / resume, qualification, exclusion with a preview. */
export function AnnotatorsTable({
  projectSlug,
  rows,
  messages: m,
}: {
  projectSlug: string;
  rows: AnnotatorTableRow[];
  messages: Messages;
}) {
  const router = useRouter();
  const [busy, start] = useTransition();
  const [error, setError] = useState<string | null>(null);
  const [confirm, setConfirm] = useState<Pending | null>(null);

  const act = (fn: () => Promise<{ ok: boolean; message?: string }>) =>
    start(async () => {
      const r = await fn();
      if (!r.ok) setError(r.message ?? m["error.title"]);
      else {
        setError(null);
        setConfirm(null);
        router.refresh();
      }
    });

  const askExclusion = (row: AnnotatorTableRow) =>
    start(async () => {
      const r = await previewExclusionAction({ projectSlug, userId: row.userId });
      if (!r.ok) return setError(r.message);
      setConfirm({
        userId: row.userId,
        email: row.email,
        excluded: !row.excluded,
        valid: r.data.valid,
        counted: r.data.counted,
        tasks: r.data.tasks,
      });
    });

  const columns: ColumnDef<AnnotatorTableRow>[] = [
    {
      id: "annotator",
      header: m["dashboard.col.annotator"],
      cell: ({ row }) => <span title={row.original.name}>{row.original.email}</span>,
    },
    {
      id: "status",
      header: m["annotators.col.status"],
      cell: ({ row }) => <StateBadge active={row.original.status === "active"}>{m[`annotators.status.${row.original.status}`]}</StateBadge>,
    },
    {
      id: "exports",
      header: m["annotators.col.exports"],
      cell: ({ row }) => (row.original.excluded ? <strong>{m["annotators.excluded"]}</strong> : m["annotators.included"]),
    },
    { id: "judgments", header: m["dashboard.col.judgments"], cell: ({ row }) => row.original.stats?.judgments ?? 0 },
    { id: "today", header: m["dashboard.col.today"], cell: ({ row }) => row.original.stats?.today ?? 0 },
    {
      id: "majority",
      header: m["dashboard.col.majority"],
      cell: ({ row }) =>
        row.original.stats ? `${pct(row.original.stats.majorityAgreement)} n=${row.original.stats.majorityJudgments}` : "—",
    },
    { id: "gold", header: m["dashboard.col.gold"], cell: ({ row }) => withCi(row.original.stats?.goldAccuracy) },
    { id: "left", header: m["dashboard.col.left"], cell: ({ row }) => withCi(row.original.stats?.leftShare) },
    { id: "ties", header: m["dashboard.col.ties"], cell: ({ row }) => pct(row.original.stats?.tieRate) },
    { id: "seconds", header: m["dashboard.col.seconds"], cell: ({ row }) => row.original.stats?.medianSeconds ?? "—" },
    {
      id: "flags",
      header: m["dashboard.col.flags"],
      cell: ({ row }) =>
        row.original.stats === null ? (
          <span className="muted">{m["annotators.noStats"]}</span>
        ) : (
          row.original.stats.flags.map((f) => (
            <span key={f} className="badge" style={{ marginRight: 4, color: "var(--danger)" }}>
              {m[`dashboard.flag.${f}`]}
            </span>
          ))
        ),
    },
    {
      id: "actions",
      header: m["annotators.col.actions"],
      cell: ({ row }) => {
        const r = row.original;
        const button = (label: string, onClick: () => void, danger = false) => (
          <button
            type="button"
            className={`btn btn-small ${danger ? "btn-danger" : ""}`}
            disabled={busy}
            aria-label={`${label}: ${r.email}`}
            onClick={onClick}
          >
            {label}
          </button>
        );
        const status = (s: AnnotatorTableRow["status"]) => () =>
          act(() => setAnnotatorStatusAction({ projectSlug, userId: r.userId, status: s }));
        // A removed member's standing waits for their return; their past work can still be excluded.
        if (r.status === "removed") {
          return (
            <div className="table-toolbar" style={{ flexWrap: "wrap" }} title={m["annotators.removedHint"]}>
              {button(r.excluded ? m["annotators.include"] : m["annotators.exclude"], () => askExclusion(r), !r.excluded)}
            </div>
          );
        }
        return (
          <div className="table-toolbar" style={{ flexWrap: "wrap" }}>
            {r.status === "active"
              ? button(m["annotators.pause"], status("paused"), true)
              : button(m["annotators.resume"], status("active"))}
            {r.status !== "qualification" && button(m["annotators.qualify"], status("qualification"))}
            {button(r.excluded ? m["annotators.include"] : m["annotators.exclude"], () => askExclusion(r), !r.excluded)}
          </div>
        );
      },
    },
  ];

  return (
    <div className="stack">
      <ErrorAlert error={error} />
      {confirm && (
        <div className="panel stack" role="dialog" aria-label={confirm.excluded ? m["annotators.exclude"] : m["annotators.include"]}>
          <p>
            {fill(m[confirm.excluded ? "annotators.confirmExclude" : "annotators.confirmInclude"], {
              email: confirm.email,
              valid: confirm.valid,
              counted: confirm.counted,
              tasks: confirm.tasks,
            })}
          </p>
          <div className="table-toolbar">
            <button
              type="button"
              className="btn btn-primary"
              disabled={busy}
              onClick={() => act(() => setAnnotatorExcludedAction({ projectSlug, userId: confirm.userId, excluded: confirm.excluded }))}
            >
              {m["annotators.confirm"]}
            </button>
            <button type="button" className="btn" onClick={() => setConfirm(null)}>
              {m["annotators.cancel"]}
            </button>
          </div>
        </div>
      )}
      <DataTable columns={columns} data={rows} caption={m["annotators.title"]} messages={m} />
    </div>
  );
}
