"use client";

import { flexRender, getCoreRowModel, useReactTable, type ColumnDef, type SortingState } from "@tanstack/react-table";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useState, useTransition } from "react";
import type { MessageKey } from "@/lib/i18n";
import { fill } from "@/lib/i18n/fill";

/** Which page of how many rows a table shows (what a service's paged list answers). */
export type Paging = { total: number; page: number; pageSize: number };

export type DataTableText = { search: string; previous: string; next: string; page: string; total: string };

/** The pager and search text in the UI language. */
function tableText(
  m: Pick<Record<MessageKey, string>, "table.search" | "table.previous" | "table.next" | "table.page" | "table.total">,
  page: number,
  pages: number,
  total: number,
): DataTableText {
  return {
    search: m["table.search"],
    previous: m["table.previous"],
    next: m["table.next"],
    page: fill(m["table.page"], { page, pages }),
    total: fill(m["table.total"], { n: total }),
  };
}

/**
 * The one table wrapper: tanstack in manual mode, with paging, sorting and search kept
 * in the URL (?page, ?sort, ?desc, ?q) so the server does the work and links can be shared.
 */
export function DataTable<T>({
  columns,
  data,
  paging,
  sort,
  searchable = false,
  caption,
  messages,
}: {
  // biome-ignore lint/suspicious/noExplicitAny: each column has its own value type; tanstack's own examples type the list this way
  columns: ColumnDef<T, any>[];
  data: T[];
  /** Without it, every row on one page. */
  paging?: Paging;
  sort?: { id: string; desc: boolean };
  searchable?: boolean;
  caption: string;
  /** The UI catalogue (only the table.* messages are used). */
  messages: Pick<Record<MessageKey, string>, "table.search" | "table.previous" | "table.next" | "table.page" | "table.total">;
}) {
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const [pending, startTransition] = useTransition();
  const [query, setQuery] = useState(params.get("q") ?? "");
  const { total, page, pageSize } = paging ?? { total: data.length, page: 1, pageSize: Math.max(data.length, 1) };
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const text = tableText(messages, page, pages, total);

  const navigate = (patch: Record<string, string | null>) => {
    const next = new URLSearchParams(params.toString());
    for (const [k, v] of Object.entries(patch)) {
      if (v === null || v === "") next.delete(k);
      else next.set(k, v);
    }
    startTransition(() => router.push(`${pathname}?${next.toString()}`));
  };

  const sorting: SortingState = sort ? [{ id: sort.id, desc: sort.desc }] : [];
  const table = useReactTable({
    data,
    columns,
    state: { sorting },
    manualPagination: true,
    manualSorting: true,
    manualFiltering: true,
    pageCount: pages,
    getCoreRowModel: getCoreRowModel(),
    onSortingChange: (updater) => {
      const nextSorting = typeof updater === "function" ? updater(sorting) : updater;
      const first = nextSorting[0];
      navigate({ sort: first?.id ?? null, desc: first?.desc ? "1" : null, page: null });
    },
  });

  return (
    <div aria-busy={pending}>
      {searchable && (
        // biome-ignore lint/a11y/useSemanticElements: a form with role="search" is the landmark every screen reader announces; <search> not yet
        <form
          className="table-toolbar"
          role="search"
          onSubmit={(e) => {
            e.preventDefault();
            navigate({ q: query.trim() || null, page: null });
          }}
        >
          <input
            type="search"
            aria-label={text.search}
            placeholder={text.search}
            value={query}
            onChange={(e) => setQuery(e.target.value)}
          />
          <button className="btn" type="submit">
            {text.search}
          </button>
          <span className="muted">{text.total}</span>
        </form>
      )}
      <div style={{ overflowX: "auto" }}>
        <table className="data">
          <caption className="visually-hidden">{caption}</caption>
          <thead>
            {table.getHeaderGroups().map((group) => (
              <tr key={group.id}>
                {group.headers.map((header) => {
                  const sorted = header.column.getIsSorted();
                  return (
                    <th
                      key={header.id}
                      scope="col"
                      aria-sort={sorted === "asc" ? "ascending" : sorted === "desc" ? "descending" : undefined}
                    >
                      {header.column.getCanSort() ? (
                        <button type="button" onClick={header.column.getToggleSortingHandler()}>
                          {flexRender(header.column.columnDef.header, header.getContext())}
                          {sorted === "asc" ? " ▲" : sorted === "desc" ? " ▼" : ""}
                        </button>
                      ) : (
                        flexRender(header.column.columnDef.header, header.getContext())
                      )}
                    </th>
                  );
                })}
              </tr>
            ))}
          </thead>
          <tbody>
            {table.getRowModel().rows.map((row) => (
              <tr key={row.id}>
                {row.getVisibleCells().map((cell) => (
                  <td key={cell.id}>{flexRender(cell.column.columnDef.cell, cell.getContext())}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {pages > 1 && (
        <nav className="table-pager" aria-label={caption}>
          <button className="btn btn-small" type="button" disabled={page <= 1} onClick={() => navigate({ page: String(page - 1) })}>
            {text.previous}
          </button>
          <span>{text.page}</span>
          <button className="btn btn-small" type="button" disabled={page >= pages} onClick={() => navigate({ page: String(page + 1) })}>
            {text.next}
          </button>
        </nav>
      )}
    </div>
  );
}
