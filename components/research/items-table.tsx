"use client";

import type { ColumnDef } from "@tanstack/react-table";
import Link from "next/link";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useState } from "react";
import { DataTable, type Paging } from "@/components/data-table/data-table";
import { ProgressBar } from "@/components/ui/progress-bar";
import type { MessageKey } from "@/lib/i18n";

type Row = {
  id: number;
  externalId: string;
  character: string;
  models: string[];
  candidates: number;
  judgments: number;
  needed: number;
  gold: boolean;
};

/** The item browser: progress per item, filters by character, model and state, server-side. */
export function ItemsTable({
  slug,
  rows,
  paging,
  sort,
  filters,
  messages: m,
}: {
  slug: string;
  rows: Row[];
  paging: Paging;
  sort: { id: string; desc: boolean };
  filters: { model: string; state: string; characterName: string };
  messages: Record<MessageKey, string>;
}) {
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const [f, setF] = useState(filters);
  const columns: ColumnDef<Row>[] = [
    {
      id: "external_id",
      accessorFn: (r) => r.externalId,
      header: m["items.col.externalId"],
      cell: ({ row }) => <Link href={`/projects/${slug}/items/${row.original.id}`}>{row.original.externalId}</Link>,
    },
    { id: "character", accessorFn: (r) => r.character, header: m["items.col.character"], cell: ({ row }) => row.original.character },
    { id: "models", enableSorting: false, header: m["items.col.models"], cell: ({ row }) => row.original.models.join(" · ") },
    { id: "candidates", accessorFn: (r) => r.candidates, header: m["items.col.candidates"], cell: ({ row }) => row.original.candidates },
    {
      id: "progress",
      accessorFn: (r) => (r.needed ? r.judgments / r.needed : 0),
      header: m["items.col.progress"],
      cell: ({ row }) => (
        <div style={{ minWidth: 120 }}>
          <ProgressBar
            value={row.original.judgments}
            max={row.original.needed}
            label={`${m["items.col.progress"]} ${row.original.externalId}`}
          />
          <span className="muted" style={{ fontSize: "0.8rem" }}>
            {row.original.judgments} / {row.original.needed}
            {row.original.gold ? " · gold" : ""}
          </span>
        </div>
      ),
    },
  ];
  const apply = (e: React.FormEvent) => {
    e.preventDefault();
    const next = new URLSearchParams(params.toString());
    for (const [k, v] of Object.entries(f)) {
      if (v) next.set(k, v);
      else next.delete(k);
    }
    next.delete("page");
    router.push(`${pathname}?${next}`);
  };
  return (
    <div className="stack">
      <form className="table-toolbar" onSubmit={apply} aria-label={m["items.filter.apply"]}>
        <label>
          {m["items.filter.character"]} <input value={f.characterName} onChange={(e) => setF({ ...f, characterName: e.target.value })} />
        </label>
        <label>
          {m["items.filter.model"]} <input value={f.model} onChange={(e) => setF({ ...f, model: e.target.value })} />
        </label>
        <label>
          {m["items.filter.state"]}{" "}
          <select value={f.state} onChange={(e) => setF({ ...f, state: e.target.value })}>
            <option value="">{m["items.filter.any"]}</option>
            <option value="open">{m["items.state.open"]}</option>
            <option value="complete">{m["items.state.complete"]}</option>
          </select>
        </label>
        <button className="btn" type="submit">
          {m["items.filter.apply"]}
        </button>
      </form>
      {rows.length === 0 ? (
        <p className="panel">{m["items.empty"]}</p>
      ) : (
        <DataTable columns={columns} data={rows} paging={paging} sort={sort} searchable caption={m["projects.items"]} messages={m} />
      )}
    </div>
  );
}
