"use client";

import { CartesianGrid, ComposedChart, ErrorBar, ResponsiveContainer, Scatter, Tooltip, XAxis, YAxis } from "recharts";
import { Note } from "@/components/ui/page";
import { Table } from "@/components/ui/table";
import type { LeaderboardStats } from "@/lib/services/stats";
import { fill, num, pct, type Messages } from "./format";

/** A rating's 95% interval to one decimal; an open-ended bound (never lost, never won) as ∓∞. */
const ratingInterval = (r: { ciLow: number | null; ciHigh: number | null }) =>
  `[${r.ciLow === null ? "−∞" : num(r.ciLow, 1)}, ${r.ciHigh === null ? "+∞" : num(r.ciHigh, 1)}]`;

/**
 * The Bradley–Terry leaderboard: a table, ratings as points with their 95% interval as
 * error bars (exact bounds in the tooltip), and the win-rate matrix as a heatmap table.
 */
export function Leaderboard({ board, messages: m }: { board: LeaderboardStats; messages: Messages }) {
  const rated = board.rows.filter((r) => r.rating !== null);
  const data = rated.map((r) => ({
    model: r.model,
    rating: r.rating!,
    // Open-ended bounds (a model that never lost in some resample) are drawn to the axis.
    err: [r.ciLow === null ? 0 : r.rating! - r.ciLow, r.ciHigh === null ? 0 : r.ciHigh - r.rating!] as [number, number],
    interval: ratingInterval(r),
  }));
  // The service carries full values; the display rounds ratings to one decimal.
  const summary = rated.map((r) => `${r.rank}. ${r.model} ${num(r.rating, 1)} ${ratingInterval(r)}`).join("; ");
  return (
    <div className="stack">
      <Note>{fill(m["dashboard.leaderboardNote"], { comparisons: board.totalComparisons, items: board.items })}</Note>
      {!board.stronglyConnected && <p className="alert alert-error">{m["dashboard.notConnected"]}</p>}
      <Table
        caption={m["dashboard.leaderboard"]}
        captionHidden
        rows={board.rows}
        rowKey={(r) => r.model}
        columns={[
          { header: m["dashboard.col.rank"], cell: (r) => r.rank ?? "—" },
          { header: m["dashboard.col.model"], cell: (r) => r.model },
          {
            header: m["dashboard.col.rating"],
            cell: (r) => (r.rating === null ? fill(m["dashboard.excluded"], { reason: r.excluded ?? "" }) : num(r.rating, 1)),
          },
          { header: m["dashboard.col.ci"], cell: (r) => (r.rating === null ? "—" : ratingInterval(r)) },
          { header: m["dashboard.col.record"], cell: (r) => `${r.wins} / ${r.losses} / ${r.ties}` },
        ]}
      />
      {data.length > 0 && (
        <div role="img" aria-label={`${m["dashboard.leaderboard"]}: ${summary}`} style={{ width: "100%", height: 260 }}>
          <ResponsiveContainer>
            <ComposedChart data={data} margin={{ top: 8, right: 16, bottom: 8, left: 8 }}>
              <CartesianGrid strokeDasharray="3 3" />
              <XAxis dataKey="model" type="category" tick={{ fontSize: 11 }} />
              <YAxis domain={["auto", "auto"]} tick={{ fontSize: 11 }} />
              <Tooltip
                formatter={(value, _name, item) => [
                  `${typeof value === "number" ? num(value, 1) : value} ${(item?.payload as { interval?: string })?.interval ?? ""}`,
                  m["dashboard.col.rating"],
                ]}
              />
              <Scatter dataKey="rating" name={m["dashboard.col.rating"]} fill="#4f46e5" isAnimationActive={false}>
                <ErrorBar dataKey="err" width={8} direction="y" stroke="#1f2937" />
              </Scatter>
            </ComposedChart>
          </ResponsiveContainer>
        </div>
      )}
      <WinRateHeatmap board={board} messages={m} />
    </div>
  );
}

/** Win rate of the row model over the column model; colour from red (0) through white to green (1). */
function WinRateHeatmap({ board, messages: m }: { board: LeaderboardStats; messages: Messages }) {
  const colour = (x: number) => {
    const d = Math.round(Math.abs(x - 0.5) * 2 * 60);
    return x >= 0.5 ? `color-mix(in srgb, #059669 ${d}%, white)` : `color-mix(in srgb, #dc2626 ${d}%, white)`;
  };
  return (
    <div style={{ overflowX: "auto" }}>
      <table className="data">
        <caption>{m["dashboard.winRate"]}</caption>
        <thead>
          <tr>
            <td />
            {board.models.map((c) => (
              <th key={c} scope="col">
                {c}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {board.models.map((row, i) => (
            <tr key={row}>
              <th scope="row">{row}</th>
              {board.models.map((col, j) => {
                const rate = board.winRate[i]![j]!;
                const label =
                  rate === null ? "—" : fill(m["dashboard.winRateCell"], { row, col, rate: pct(rate), n: board.comparisons[i]![j]! });
                return (
                  <td
                    key={col}
                    title={label}
                    aria-label={label}
                    style={{ textAlign: "center", background: rate === null ? undefined : colour(rate) }}
                  >
                    {pct(rate)}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
