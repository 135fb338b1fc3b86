import type { Metadata } from "next";
import Link from "next/link";
import { getDb } from "@/db/client";
import { requirePermission } from "@/lib/auth/session";
import { getTranslator } from "@/lib/i18n/server";
import { listAuditPage } from "@/lib/services/audit-log";

export const metadata: Metadata = { title: "Audit log" };

export default async function AuditPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  const actor = await requirePermission("audit.read");
  const params = await searchParams;
  const { locale, t } = await getTranslator();
  const { rows, actions, page, pageSize, filters } = await listAuditPage(
    { db: getDb(), actor },
    {
      action: params.action || undefined,
      actor: params.actor || undefined,
      project: params.project || undefined,
      from: params.from || undefined,
      to: params.to || undefined,
      page: params.page ?? 1,
    },
  );
  const kept = Object.fromEntries(
    (["action", "actor", "project", "from", "to"] as const).filter((k) => filters[k]).map((k) => [k, String(filters[k])]),
  );
  const link = (p: number) => `/audit?${new URLSearchParams({ ...kept, page: String(p) })}`;
  return (
    <div className="stack">
      <h1>{t("audit.title")}</h1>
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
        <table className="data">
          <thead>
            <tr>
              <th scope="col">{t("audit.col.at")}</th>
              <th scope="col">{t("audit.col.actor")}</th>
              <th scope="col">{t("audit.col.action")}</th>
              <th scope="col">{t("audit.col.target")}</th>
              <th scope="col">{t("audit.col.details")}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.id}>
                <td>{r.at.toLocaleString(locale)}</td>
                <td>{r.actorEmail ?? "—"}</td>
                <td>
                  <Link href={`/audit?action=${encodeURIComponent(r.action)}`}>{r.action}</Link>
                </td>
                <td>
                  {r.targetType} {r.targetId}
                </td>
                <td>
                  <pre className="details">{JSON.stringify(r.details)}</pre>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <nav className="table-pager" aria-label={t("audit.title")}>
        {page > 1 && <Link href={link(page - 1)}>{t("table.previous")}</Link>}
        {rows.length === pageSize && <Link href={link(page + 1)}>{t("table.next")}</Link>}
      </nav>
    </div>
  );
}
