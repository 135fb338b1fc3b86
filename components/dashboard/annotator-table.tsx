"use client";

import type { ColumnDef } from "@tanstack/react-table";
import { DataTable, type Paging } from "@/components/data-table/data-table";
import type { AnnotatorStats } from "@/lib/services/stats";
import { num, pct, type Messages } from "./format";

const withCi = (p: { value: number; low: number; high: number; n: number } | null) =>
  p === null ? "—" : `${pct(p.value)} [${pct(p.low)}, ${pct(p.high)}] n=${p.n}`;

/** The per-annotator quality table with outlier flags. */
export function AnnotatorTable({
  rows,
  overall,
  paging,
  sort,
  messages: m,
}: {
  rows: AnnotatorStats[];
  overall: AnnotatorStats;
  paging: Paging;
  sort: { id: string; desc: boolean };
  messages: Messages;
}) {
  const columns: ColumnDef<AnnotatorStats>[] = [
    {
      id: "annotator",
      header: m["dashboard.col.annotator"],
      cell: ({ row }) =>
        row.original.id === null ? (
          <strong>{m["dashboard.overall"]}</strong>
        ) : (
          <span title={row.original.email}>{row.original.name || row.original.email}</span>
        ),
    },
    { id: "judgments", header: m["dashboard.col.judgments"], cell: ({ row }) => row.original.judgments },
    { id: "today", header: m["dashboard.col.today"], cell: ({ row }) => row.original.today },
    {
      id: "majority",
      header: m["dashboard.col.majority"],
      cell: ({ row }) => `${pct(row.original.majorityAgreement)} n=${row.original.majorityJudgments}`,
    },
    { id: "gold", header: m["dashboard.col.gold"], cell: ({ row }) => withCi(row.original.goldAccuracy) },
    { id: "ties", header: m["dashboard.col.ties"], cell: ({ row }) => pct(row.original.tieRate) },
    { id: "left", header: m["dashboard.col.left"], cell: ({ row }) => withCi(row.original.leftShare) },
    { id: "longer", header: m["dashboard.col.longer"], cell: ({ row }) => withCi(row.original.longerShare) },
    { id: "seconds", header: m["dashboard.col.seconds"], cell: ({ row }) => num(row.original.medianSeconds, 1) },
    {
      id: "flags",
      header: m["dashboard.col.flags"],
      cell: ({ row }) =>
        row.original.flags.map((f) => (
          <span key={f} className="badge" style={{ marginRight: 4, color: "var(--danger)" }}>
            {m[`dashboard.flag.${f}`]}
          </span>
        )),
    },
  ];
  return (
    <DataTable
      columns={columns}
      data={paging.page === 1 ? [overall, ...rows] : rows}
      paging={paging}
      sort={sort}
      caption={m["dashboard.annotators"]}
      messages={m}
    />
  );
}
