"use client";

import type { ColumnDef } from "@tanstack/react-table";
import Link from "next/link";
import { DataTable, type Paging } from "@/components/data-table/data-table";
import type { MessageKey } from "@/lib/i18n";

type Row = { id: number; name: string; attributes: string[]; projects: number; items: number };

export function CharactersTable({
  rows,
  paging,
  sort,
  messages: m,
}: {
  rows: Row[];
  paging: Paging;
  sort: { id: string; desc: boolean };
  messages: Record<MessageKey, string>;
}) {
  const columns: ColumnDef<Row>[] = [
    {
      id: "name",
      accessorFn: (r) => r.name,
      header: m["characters.col.name"],
      cell: ({ row }) => (
        <Link href={`/characters/${row.original.id}`}>
          <strong>{row.original.name}</strong>
        </Link>
      ),
    },
    {
      id: "attributes",
      enableSorting: false,
      header: m["characters.col.attributes"],
      cell: ({ row }) => row.original.attributes.join(" · "),
    },
    {
      id: "projects",
      accessorFn: (r) => r.projects,
      sortDescFirst: true,
      header: m["characters.col.projects"],
      cell: ({ row }) => row.original.projects,
    },
    {
      id: "items",
      accessorFn: (r) => r.items,
      sortDescFirst: true,
      header: m["characters.col.items"],
      cell: ({ row }) => row.original.items,
    },
  ];
  return <DataTable columns={columns} data={rows} paging={paging} sort={sort} searchable caption={m["characters.title"]} messages={m} />;
}
