"use client";

import type { ColumnDef } from "@tanstack/react-table";
import { DataTable } from "@/components/data-table/data-table";
import type { MessageKey } from "@/lib/i18n";

type Row = { id: number; name: string; attributes: string[]; projects: number; items: number };
const fill = (s: string, vars: Record<string, string | number>) => s.replace(/\{(\w+)\}/g, (m, k: string) => String(vars[k] ?? m));

export function CharactersTable({
  rows,
  total,
  page,
  pageSize,
  messages: m,
}: {
  rows: Row[];
  total: number;
  page: number;
  pageSize: number;
  messages: Record<MessageKey, string>;
}) {
  const columns: ColumnDef<Row>[] = [
    { id: "name", header: m["characters.col.name"], cell: ({ row }) => <strong>{row.original.name}</strong> },
    { id: "attributes", header: m["characters.col.attributes"], cell: ({ row }) => row.original.attributes.join(" · ") },
    { id: "projects", header: m["characters.col.projects"], cell: ({ row }) => row.original.projects },
    { id: "items", header: m["characters.col.items"], cell: ({ row }) => row.original.items },
  ];
  return (
    <DataTable
      columns={columns}
      data={rows}
      total={total}
      page={page}
      pageSize={pageSize}
      searchable
      caption={m["characters.title"]}
      text={{
        search: m["table.search"],
        previous: m["table.previous"],
        next: m["table.next"],
        page: fill(m["table.page"], { page, pages: Math.max(1, Math.ceil(total / pageSize)) }),
        total: fill(m["table.total"], { n: total }),
      }}
    />
  );
}
