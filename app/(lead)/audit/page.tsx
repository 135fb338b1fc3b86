import type { Metadata } from "next";
import { queryFilters, staffPage, type PageProps } from "@/lib/pages";
import Link from "next/link";
import { Page } from "@/components/ui/page";
import { Table } from "@/components/ui/table";
import { listAuditPage } from "@/lib/services/audit-log";

export const metadata: Metadata = { title: "Audit log" };

const FILTERS = ["action", "actor", "project", "from", "to"] as const;

export default async function AuditPage({ searchParams }: PageProps) {
  const { ctx, locale, t } = await staffPage("audit.read");
  const params = await searchParams;
  const { rows, actions, page, pageSize, filters } = await listAuditPage(ctx, { ...queryFilters(params, FILTERS), page: params.page ?? 1 });
  const kept = Object.fromEntries(FILTERS.filter((k) => filters[k]).map((k) => [k, String(filters[k])]));
  const link = (p: number) => `/audit?${new URLSearchParams({ ...kept, page: String(p) })}`;
  return (
    <Page title={t("audit.title")}>
      <form className="table-toolbar panel" method="get" aria-label={t("audit.filters")}>
        <label>
          {t("audit.filter.action")}{" "}
          <select name="action" defaultValue={filters.action ?? ""}>
            <option value="">{t("audit.filter.any")}</option>
            {actions.map((a) => (
              <option key={a} value={a}>
                {a}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t("audit.filter.actor")} <input name="actor" type="email" defaultValue={filters.actor ?? ""} />
        </label>
        <label>
          {t("audit.filter.project")} <input name="project" defaultValue={filters.project ?? ""} />
        </label>
        <label>
          {t("audit.filter.from")} <input name="from" type="date" defaultValue={filters.from ?? ""} />
        </label>
        <label>
          {t("audit.filter.to")} <input name="to" type="date" defaultValue={filters.to ?? ""} />
        </label>
        <button className="btn" type="submit">
          {t("audit.filter.apply")}
        </button>
      </form>
      {rows.length === 0 ? (
        <p className="panel">{t("audit.empty")}</p>
      ) : (
        <Table
          rows={rows}
          rowKey={(r) => r.id}
          columns={[
            { header: t("audit.col.at"), cell: (r) => r.at.toLocaleString(locale) },
            { header: t("audit.col.actor"), cell: (r) => r.actorEmail ?? "—" },
            { header: t("audit.col.action"), cell: (r) => <Link href={`/audit?action=${encodeURIComponent(r.action)}`}>{r.action}</Link> },
            {
              header: t("audit.col.target"),
              cell: (r) => (
                <>
                  {r.targetType} {r.targetId}
                </>
              ),
            },
            { header: t("audit.col.details"), cell: (r) => <pre className="details">{JSON.stringify(r.details)}</pre> },
          ]}
        />
      )}
      <nav className="table-pager" aria-label={t("audit.title")}>
        {page > 1 && <Link href={link(page - 1)}>{t("table.previous")}</Link>}
        {rows.length === pageSize && <Link href={link(page + 1)}>{t("table.next")}</Link>}
      </nav>
    </Page>
  );
}
