"use client";

import type { ColumnDef } from "@tanstack/react-table";
import { TaskLink } from "@/components/lead/task-link";
import { DataTable, type Paging } from "@/components/data-table/data-table";
import type { Messages } from "@/lib/i18n";
import { fill } from "@/lib/i18n/fill";
import { StateBadge } from "@/components/ui/badge";

export type GoldRow = {
  taskId: number;
  externalId: string;
  character: string;
  gold: { strength?: number; accept?: number[] };
  retired: boolean;
  graded: number;
  correct: number;
  accuracy: number | null;
};

const signed = (s: number) => (s > 0 ? `+${s}` : String(s));

/** A project's gold tasks with their accuracy; each links to its review page (set or retire there). */
export function GoldTable({ rows, paging, messages: m }: { rows: GoldRow[]; paging: Paging; messages: Messages }) {
  const columns: ColumnDef<GoldRow>[] = [
    {
      id: "task",
      header: m["gold.col.task"],
      cell: ({ row }) => <TaskLink taskId={row.original.taskId} messages={m} />,
    },
    { id: "item", header: m["gold.col.item"], cell: ({ row }) => `${row.original.externalId} · ${row.original.character}` },
    {
      id: "answer",
      header: m["gold.col.answer"],
      cell: ({ row }) =>
        `${row.original.gold.strength !== undefined ? signed(row.original.gold.strength) : "—"} [${(row.original.gold.accept ?? []).map(signed).join(", ")}]`,
    },
    {
      id: "accuracy",
      header: m["gold.col.accuracy"],
      cell: ({ row }) =>
        row.original.accuracy === null
          ? "—"
          : fill(m["gold.accuracy"], {
              pct: `${(row.original.accuracy * 100).toFixed(1)}%`,
              correct: row.original.correct,
              graded: row.original.graded,
            }),
    },
    {
      id: "state",
      header: m["gold.col.state"],
      cell: ({ row }) => (
        <StateBadge active={!row.original.retired}>{row.original.retired ? m["gold.retired"] : m["gold.active"]}</StateBadge>
      ),
    },
  ];
  return <DataTable columns={columns} data={rows} paging={paging} caption={m["review.tab.gold"]} messages={m} />;
}
