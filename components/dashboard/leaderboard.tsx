"use client";

import { CartesianGrid, ComposedChart, ErrorBar, ResponsiveContainer, Scatter, Tooltip, XAxis, YAxis } from "recharts";
import type { LeaderboardStats } from "@/lib/services/stats";
import { fill, num, pct, type Messages } from "./format";

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
    interval: `[${r.ciLow === null ? "−∞" : num(r.ciLow, 1)}, ${r.ciHigh === null ? "+∞" : num(r.ciHigh, 1)}]`,
  }));
  // The service carries full values; the display rounds ratings to one decimal.
  const summary = rated
    .map(
      (r) =>
        `${r.rank}. ${r.model} ${num(r.rating, 1)} [${r.ciLow === null ? "−∞" : num(r.ciLow, 1)}, ${r.ciHigh === null ? "+∞" : num(r.ciHigh, 1)}]`,
    )
    .join("; ");
  return (
    <div className="stack">
      <p className="muted" style={{ margin: 0 }}>
        {fill(m["dashboard.leaderboardNote"], { comparisons: board.totalComparisons, items: board.items })}
      </p>
      {!board.stronglyConnected && <p className="alert alert-error">{m["dashboard.notConnected"]}</p>}
      <table className="data">
        <caption className="skip-link">{m["dashboard.leaderboard"]}</caption>
        <thead>
          <tr>
            <th scope="col">{m["dashboard.col.rank"]}</th>
            <th scope="col">{m["dashboard.col.model"]}</th>
            <th scope="col">{m["dashboard.col.rating"]}</th>
            <th scope="col">{m["dashboard.col.ci"]}</th>
            <th scope="col">{m["dashboard.col.record"]}</th>
          </tr>
        </thead>
        <tbody>
          {board.rows.map((r) => (
            <tr key={r.model}>
              <td>{r.rank ?? "—"}</td>
              <td>{r.model}</td>
              <td>{r.rating === null ? fill(m["dashboard.excluded"], { reason: r.excluded ?? "" }) : num(r.rating, 1)}</td>
              <td>
                {r.rating === null ? "—" : `[${r.ciLow === null ? "−∞" : num(r.ciLow, 1)}, ${r.ciHigh === null ? "+∞" : num(r.ciHigh, 1)}]`}
              </td>
              <td>
                {r.wins} / {r.losses} / {r.ties}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
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
