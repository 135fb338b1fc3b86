"use client";

import { usePathname, useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import type { Messages } from "./format";

export type FilterValues = { from: string; to: string; character: string; model: string; annotator: string; dimension: string };

/** Date range, character, model, annotator and dimension, kept in the URL so views can be shared. */
export function DashboardFilters({
  values,
  options,
  messages: m,
}: {
  values: FilterValues;
  options: {
    characters: string[];
    models: string[];
    annotators: { id: number; name: string; email: string }[];
    dimensions: { key: string; label: string }[];
  };
  messages: Messages;
}) {
  const router = useRouter();
  const pathname = usePathname();
  const [pending, startTransition] = useTransition();
  const [f, setF] = useState(values);
  const set = (k: keyof FilterValues) => (e: { target: { value: string } }) => setF({ ...f, [k]: e.target.value });
  const go = (next: FilterValues) => {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(next)) if (v) q.set(k, v);
    startTransition(() => router.push(q.size ? `${pathname}?${q}` : pathname));
  };
  const select = (k: "character" | "model" | "annotator" | "dimension", label: string, items: { value: string; label: string }[]) => (
    <div className="field">
      <label htmlFor={`f-${k}`}>{label}</label>
      <select id={`f-${k}`} value={f[k]} onChange={set(k)}>
        <option value="">{m["dashboard.any"]}</option>
        {items.map((i) => (
          <option key={i.value} value={i.value}>
            {i.label}
          </option>
        ))}
      </select>
    </div>
  );
  return (
    <form
      className="panel table-toolbar"
      aria-label={m["dashboard.filters"]}
      aria-busy={pending}
      onSubmit={(e) => {
        e.preventDefault();
        go(f);
      }}
    >
      <div className="field">
        <label htmlFor="f-from">{m["dashboard.from"]}</label>
        <input id="f-from" type="date" value={f.from} onChange={set("from")} />
      </div>
      <div className="field">
        <label htmlFor="f-to">{m["dashboard.to"]}</label>
        <input id="f-to" type="date" value={f.to} onChange={set("to")} />
      </div>
      {select(
        "character",
        m["dashboard.character"],
        options.characters.map((c) => ({ value: c, label: c })),
      )}
      {select(
        "model",
        m["dashboard.model"],
        options.models.map((c) => ({ value: c, label: c })),
      )}
      {select(
        "annotator",
        m["dashboard.annotator"],
        options.annotators.map((a) => ({ value: String(a.id), label: `${a.name} <${a.email}>` })),
      )}
      {options.dimensions.length > 0 &&
        select(
          "dimension",
          m["dashboard.dimension"],
          options.dimensions.map((d) => ({ value: d.key, label: d.label })),
        )}
      <button className="btn btn-primary" type="submit">
        {m["dashboard.apply"]}
      </button>
      <button
        className="btn"
        type="button"
        onClick={() => {
          const empty = { from: "", to: "", character: "", model: "", annotator: "", dimension: "" };
          setF(empty);
          go(empty);
        }}
      >
        {m["dashboard.reset"]}
      </button>
    </form>
  );
}
