"use client";

import { usePathname, useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { Field, Select } from "@/components/ui/form";
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
  const date = (k: "from" | "to", label: string) => (
    <Field id={`f-${k}`} label={label}>
      {(control) => <input {...control} type="date" value={f[k]} onChange={(e) => setF({ ...f, [k]: e.target.value })} />}
    </Field>
  );
  const go = (next: FilterValues) => {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(next)) if (v) q.set(k, v);
    startTransition(() => router.push(q.size ? `${pathname}?${q}` : pathname));
  };
  const select = (k: "character" | "model" | "annotator" | "dimension", label: string, items: (readonly [string, string])[]) => (
    <Field id={`f-${k}`} label={label}>
      {(control) => (
        <Select {...control} value={f[k]} onChange={(v) => setF({ ...f, [k]: v })} options={[["", m["dashboard.any"]], ...items]} />
      )}
    </Field>
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
      {date("from", m["dashboard.from"])}
      {date("to", m["dashboard.to"])}
      {select(
        "character",
        m["dashboard.character"],
        options.characters.map((c) => [c, c] as const),
      )}
      {select(
        "model",
        m["dashboard.model"],
        options.models.map((c) => [c, c] as const),
      )}
      {select(
        "annotator",
        m["dashboard.annotator"],
        options.annotators.map((a) => [String(a.id), `${a.name} <${a.email}>`] as const),
      )}
      {options.dimensions.length > 0 &&
        select(
          "dimension",
          m["dashboard.dimension"],
          options.dimensions.map((d) => [d.key, d.label] as const),
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
