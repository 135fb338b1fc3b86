"use client";

import type { ColumnDef } from "@tanstack/react-table";
import { TaskLink } from "@/components/lead/task-link";
import { DataTable, type Paging } from "@/components/data-table/data-table";
import type { ReviewQueueRow } from "@/db/queries/review";
import type { Messages } from "@/lib/i18n";
import { fill } from "@/lib/i18n/fill";

/** The contested-task queue: one row per task with the signals behind its score. */
export function ReviewQueueTable({ rows, paging, messages: m }: { rows: ReviewQueueRow[]; paging: Paging; messages: Messages }) {
  const columns: ColumnDef<ReviewQueueRow>[] = [
    {
      id: "task",
      header: m["review.col.task"],
      cell: ({ row }) => <TaskLink taskId={row.original.taskId} messages={m} />,
    },
    {
      id: "item",
      header: m["review.col.item"],
      cell: ({ row }) => <span title={row.original.projectName}>{row.original.externalId}</span>,
    },
    { id: "character", header: m["review.col.character"], cell: ({ row }) => row.original.character },
    { id: "models", header: m["review.col.models"], cell: ({ row }) => row.original.models.join(" / ") },
    {
      id: "votes",
      header: m["review.col.votes"],
      cell: ({ row }) =>
        row.original.kind === "pairwise"
          ? `${row.original.a} / ${row.original.tie} / ${row.original.b}`
          : `${row.original.topVotes}/${row.original.votes}`,
    },
    {
      id: "progress",
      header: m["review.col.progress"],
      cell: ({ row }) => `${row.original.validJudgments} / ${row.original.overlap}`,
    },
    {
      id: "signals",
      header: m["review.col.signals"],
      cell: ({ row }) => {
        const r = row.original;
        const badges: string[] = [];
        if (r.votes >= 2 && r.topVotes < r.votes) badges.push(m["review.signal.split"]);
        if (r.strongOpposite) badges.push(m["review.signal.strong"]);
        if (r.unsafeMajority) badges.push(m["review.signal.unsafe"]);
        if (r.goldMisses > 0) badges.push(fill(m["review.signal.gold"], { misses: r.goldMisses, graded: r.goldGraded }));
        if (r.rejectedJudgments > 0) badges.push(fill(m["review.signal.rejected"], { n: r.rejectedJudgments }));
        if (r.rejectedJudgments > 0 && r.validJudgments < r.overlap && !r.isGold) badges.push(m["review.signal.open"]);
        if (r.adjudicated) badges.push(m["review.signal.adjudicated"]);
        return badges.map((b) => (
          <span key={b} className="badge" style={{ marginRight: 4 }}>
            {b}
          </span>
        ));
      },
    },
    { id: "score", header: m["review.col.score"], cell: ({ row }) => row.original.score.toFixed(2) },
    ...(rows.some((r) => r.uncertainty !== undefined)
      ? [
          {
            id: "uncertainty",
            header: m["review.col.uncertainty"],
            cell: ({ row }) => (row.original.uncertainty === undefined ? "—" : row.original.uncertainty.toFixed(3)),
          } satisfies ColumnDef<ReviewQueueRow>,
        ]
      : []),
  ];
  return <DataTable columns={columns} data={rows} paging={paging} caption={m["review.title"]} messages={m} />;
}
