"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { Alert, ErrorAlert } from "@/components/ui/alert";
import { Checkbox, Field, Select } from "@/components/ui/form";
import type { MessageKey, Messages } from "@/lib/i18n";
import { fill } from "@/lib/i18n/fill";
import { exportRequestBody, type ExportFormPolicy } from "./export-form";

type Counts = {
  tasks: number;
  tasks_with_rows: number;
  rows: { train: number; test: number; ties: number };
  tasks_dropped: Record<string, number>;
  pairs_dropped: Record<string, number>;
  judgments: Record<string, number>;
};
const KINDS = ["dpo", "rm", "kto", "raw"] as const;

/**
 * Choose a dataset kind and policy, preview what it gives (kept rows, every drop
 * category), build it with a progress bar, download the bundle.
 */
export function ExportPanel({ slug, defaults, messages: m }: { slug: string; defaults: ExportFormPolicy; messages: Messages }) {
  const router = useRouter();
  const [kind, setKind] = useState<(typeof KINDS)[number]>("dpo");
  const [policy, setPolicy] = useState<ExportFormPolicy>(defaults);
  const [preview, setPreview] = useState<{ counts: Counts; judgments: number } | null>(null);
  const [busy, setBusy] = useState<"preview" | "build" | null>(null);
  const [progress, setProgress] = useState<{ done: number; total: number } | null>(null);
  const [built, setBuilt] = useState<number | null>(null);
  const [error, setError] = useState<{ message: string; fields?: Record<string, string[]> } | null>(null);
  const body = () => exportRequestBody(kind, policy);

  async function runPreview() {
    setBusy("preview");
    setError(null);
    const res = await fetch(`/api/projects/${encodeURIComponent(slug)}/exports/preview`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: body(),
    });
    const json = (await res.json().catch(() => ({}))) as {
      counts?: Counts;
      judgments?: number;
      error?: { message: string; fields?: Record<string, string[]> };
    };
    setBusy(null);
    if (!res.ok || !json.counts) setError(json.error ?? { message: `HTTP ${res.status}` });
    else setPreview({ counts: json.counts, judgments: json.judgments ?? 0 });
  }

  async function runBuild() {
    setBusy("build");
    setError(null);
    setBuilt(null);
    setProgress({ done: 0, total: 0 });
    const res = await fetch(`/api/projects/${encodeURIComponent(slug)}/exports`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: body(),
    });
    if (!res.ok || !res.body) {
      const json = (await res.json().catch(() => ({}))) as { error?: { message: string } };
      setError(json.error ?? { message: `HTTP ${res.status}` });
      setBusy(null);
      setProgress(null);
      return;
    }
    const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = "";
    let total = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      buffer += value;
      let nl: number;
      while ((nl = buffer.indexOf("\n")) >= 0) {
        const event = JSON.parse(buffer.slice(0, nl)) as {
          type: string;
          tasks?: number;
          exportId?: number;
          error?: { message: string; fields?: Record<string, string[]> };
        };
        buffer = buffer.slice(nl + 1);
        if (event.type === "start") total = event.tasks ?? 0;
        if (event.type === "progress") setProgress({ done: event.tasks ?? 0, total });
        if (event.type === "done") {
          setBuilt(event.exportId ?? null);
          router.refresh();
        }
        if (event.type === "error") setError(event.error ?? { message: m["error.title"] });
      }
    }
    setBusy(null);
    setProgress(null);
  }

  const field = (key: keyof typeof policy, label: MessageKey, attrs: Record<string, unknown>) => (
    <Field id={`x-${key}`} label={m[label]}>
      {(control) => (
        <input
          {...control}
          value={String(policy[key])}
          onChange={(e) => setPolicy({ ...policy, [key]: attrs.type === "number" ? Number(e.target.value) : e.target.value })}
          {...attrs}
        />
      )}
    </Field>
  );
  /** A policy choice from a fixed list of options. */
  const choice = <K extends "format" | "consensus" | "marginScale">(
    key: K,
    id: string,
    label: MessageKey,
    options: readonly (readonly [ExportFormPolicy[K], MessageKey])[],
  ) => (
    <Field id={`x-${id}`} label={m[label]}>
      {(control) => (
        <Select
          {...control}
          value={policy[key]}
          onChange={(v) => setPolicy({ ...policy, [key]: v })}
          options={options.map(([value, text]) => [value, m[text]] as const)}
        />
      )}
    </Field>
  );

  return (
    <div className="stack">
      <form className="panel stack" onSubmit={(e) => e.preventDefault()}>
        <div className="form-grid">
          <Field id="x-kind" label={m["export.kind"]}>
            {(control) => (
              <Select
                {...control}
                value={kind}
                onChange={(k) => {
                  setKind(k);
                  setPreview(null);
                }}
                options={KINDS.map((k) => [k, m[`export.kind.${k}`]] as const)}
              />
            )}
          </Field>
          {kind !== "raw" && (
            <>
              {choice("format", "format", "export.format", [
                ["conversational", "export.format.conversational"],
                ["standard", "export.format.standard"],
              ])}
              {field("minJudgments", "export.minJudgments", { type: "number", min: 1, max: 100 })}
              {choice("consensus", "consensus", "export.consensus", [
                ["majority", "export.consensus.majority"],
                ["dawid-skene", "export.consensus.dawid-skene"],
                ["mace", "export.consensus.mace"],
              ])}
              {field("minAgreement", "export.minAgreement", { type: "number", min: 0, max: 1, step: 0.01 })}
              {policy.consensus !== "majority" &&
                field("minPosterior", "export.minPosterior", { type: "number", min: 0, max: 1, step: 0.01 })}
              {field("testPercent", "export.testPercent", { type: "number", min: 0, max: 100 })}
              {field("salt", "export.seed", { type: "text" })}
              {kind === "rm" &&
                choice("marginScale", "margin", "export.marginScale", [
                  ["small", "export.margin.small"],
                  ["large", "export.margin.large"],
                ])}
            </>
          )}
        </div>
        {kind !== "raw" && (
          <div className="stack" style={{ gap: "0.3rem" }}>
            <Checkbox checked={policy.dropSlightlyBetter} onChange={(e) => setPolicy({ ...policy, dropSlightlyBetter: e.target.checked })}>
              {m["export.dropSlightly"]}
            </Checkbox>
            <Checkbox checked={policy.safetyPairs} onChange={(e) => setPolicy({ ...policy, safetyPairs: e.target.checked })}>
              {m["export.safetyPairs"]}
            </Checkbox>
          </div>
        )}
        <div className="toolbar">
          {kind !== "raw" && (
            <button className="btn" type="button" disabled={busy !== null} onClick={() => void runPreview()}>
              {busy === "preview" ? m["export.previewing"] : m["export.preview"]}
            </button>
          )}
          <button className="btn btn-primary" type="button" disabled={busy !== null} onClick={() => void runBuild()}>
            {m["export.build"]}
          </button>
        </div>
        {progress && (
          <div className="stack" style={{ gap: "0.3rem" }} role="status">
            <div
              className="progress"
              role="progressbar"
              aria-label={m["export.build"]}
              aria-valuemin={0}
              aria-valuemax={progress.total || 1}
              aria-valuenow={progress.done}
            >
              <span style={{ width: `${progress.total ? Math.min(100, (progress.done / progress.total) * 100) : 5}%` }} />
            </div>
            <span className="muted">{fill(m["export.building"], { done: progress.done, total: progress.total })}</span>
          </div>
        )}
        <ErrorAlert error={error?.message} />
        {built !== null && (
          <Alert ok>
            {fill(m["export.built"], { id: built })}{" "}
            <a href={`/api/exports/${built}/download`} download>
              {m["export.download"]}
            </a>
          </Alert>
        )}
      </form>
      {preview && <PreviewCounts preview={preview} messages={m} />}
    </div>
  );
}

function PreviewCounts({ preview, messages: m }: { preview: { counts: Counts; judgments: number }; messages: Messages }) {
  const c = preview.counts;
  const table = (title: MessageKey, entries: Record<string, number>) => (
    <div>
      <h3 style={{ margin: "0 0 0.3rem" }}>{m[title]}</h3>
      <table className="data">
        <tbody>
          {Object.entries(entries).map(([k, v]) => (
            <tr key={k}>
              <td>
                <code>{k}</code>
              </td>
              <td>{v}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
  return (
    <section className="panel stack" aria-label={m["export.previewTitle"]}>
      <h2>{m["export.previewTitle"]}</h2>
      <p style={{ margin: 0 }}>{fill(m["export.rows"], { train: c.rows.train, test: c.rows.test, ties: c.rows.ties })}</p>
      <p className="muted" style={{ margin: 0 }}>
        {fill(m["export.tasksSeen"], { tasks: c.tasks, withRows: c.tasks_with_rows, judgments: preview.judgments })}
      </p>
      <div className="grid-cards">
        {table("export.tasksDropped", c.tasks_dropped)}
        {table("export.pairsDropped", c.pairs_dropped)}
        {table("export.judgmentsTreated", c.judgments)}
      </div>
    </section>
  );
}
