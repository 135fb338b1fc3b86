"use client";

import { Bar, CartesianGrid, ComposedChart, Line, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { Table } from "@/components/ui/table";
import { fill, type Messages } from "./format";

/**
 * Judgments per period as bars with the running total as a line (progress over time);
 * exact numbers in the tooltip, and the same data in a visually hidden table.
 */
export function ThroughputChart({
  title,
  points,
  periodLabel,
  messages: m,
}: {
  title: string;
  points: { label: string; judgments: number }[];
  periodLabel: string;
  messages: Messages;
}) {
  let running = 0;
  const data = points.map((p) => ({ ...p, cumulative: (running += p.judgments) }));
  const peak = points.reduce((s, p) => Math.max(s, p.judgments), 0);
  const summary = fill(m["dashboard.chartSummary"], { title, count: points.length, total: running, peak });
  return (
    <figure style={{ margin: 0 }}>
      <figcaption>
        <strong>{title}</strong>
      </figcaption>
      <div role="img" aria-label={summary} style={{ width: "100%", height: 240 }}>
        <ResponsiveContainer>
          <ComposedChart data={data} margin={{ top: 8, right: 16, bottom: 8, left: 8 }}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis dataKey="label" tick={{ fontSize: 11 }} minTickGap={16} />
            <YAxis yAxisId="n" allowDecimals={false} tick={{ fontSize: 11 }} />
            <YAxis yAxisId="c" orientation="right" allowDecimals={false} tick={{ fontSize: 11 }} />
            <Tooltip />
            <Bar yAxisId="n" dataKey="judgments" name={m["dashboard.judgments"]} fill="#4f46e5" isAnimationActive={false} />
            <Line
              yAxisId="c"
              dataKey="cumulative"
              name={m["dashboard.cumulative"]}
              stroke="#059669"
              dot={false}
              isAnimationActive={false}
            />
          </ComposedChart>
        </ResponsiveContainer>
      </div>
      <Table
        className="visually-hidden"
        caption={title}
        rows={data}
        rowKey={(d) => d.label}
        columns={[
          { header: periodLabel, cell: (d) => d.label },
          { header: m["dashboard.judgments"], cell: (d) => d.judgments },
          { header: m["dashboard.cumulative"], cell: (d) => d.cumulative },
        ]}
      />
    </figure>
  );
}
