"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import type { MessageKey } from "@/lib/i18n";
import { fill } from "@/lib/i18n/fill";
import { exportRequestBody, type ExportFormPolicy } from "./export-form";

type Messages = Record<MessageKey, string>;
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
    <div className="field">
      <label htmlFor={`x-${key}`}>{m[label]}</label>
      <input
        id={`x-${key}`}
        value={String(policy[key])}
        onChange={(e) => setPolicy({ ...policy, [key]: attrs.type === "number" ? Number(e.target.value) : e.target.value })}
        {...attrs}
      />
    </div>
  );

  return (
    <div className="stack">
      <form className="panel stack" onSubmit={(e) => e.preventDefault()}>
        <div className="form-grid">
          <div className="field">
            <label htmlFor="x-kind">{m["export.kind"]}</label>
            <select
              id="x-kind"
              value={kind}
              onChange={(e) => {
                setKind(e.target.value as typeof kind);
                setPreview(null);
              }}
            >
              {KINDS.map((k) => (
                <option key={k} value={k}>
                  {m[`export.kind.${k}`]}
                </option>
              ))}
            </select>
          </div>
          {kind !== "raw" && (
            <>
              <div className="field">
                <label htmlFor="x-format">{m["export.format"]}</label>
                <select
                  id="x-format"
                  value={policy.format}
                  onChange={(e) => setPolicy({ ...policy, format: e.target.value as ExportFormPolicy["format"] })}
                >
                  <option value="conversational">{m["export.format.conversational"]}</option>
                  <option value="standard">{m["export.format.standard"]}</option>
                </select>
              </div>
              {field("minJudgments", "export.minJudgments", { type: "number", min: 1, max: 100 })}
              <div className="field">
                <label htmlFor="x-consensus">{m["export.consensus"]}</label>
                <select
                  id="x-consensus"
                  value={policy.consensus}
                  onChange={(e) => setPolicy({ ...policy, consensus: e.target.value as ExportFormPolicy["consensus"] })}
                >
                  <option value="majority">{m["export.consensus.majority"]}</option>
                  <option value="dawid-skene">{m["export.consensus.dawid-skene"]}</option>
                  <option value="mace">{m["export.consensus.mace"]}</option>
                </select>
              </div>
              {field("minAgreement", "export.minAgreement", { type: "number", min: 0, max: 1, step: 0.01 })}
              {policy.consensus !== "majority" &&
                field("minPosterior", "export.minPosterior", { type: "number", min: 0, max: 1, step: 0.01 })}
              {field("testPercent", "export.testPercent", { type: "number", min: 0, max: 100 })}
              {field("salt", "export.seed", { type: "text" })}
              {kind === "rm" && (
                <div className="field">
                  <label htmlFor="x-margin">{m["export.marginScale"]}</label>
                  <select
                    id="x-margin"
                    value={policy.marginScale}
                    onChange={(e) => setPolicy({ ...policy, marginScale: e.target.value as ExportFormPolicy["marginScale"] })}
                  >
                    <option value="small">{m["export.margin.small"]}</option>
                    <option value="large">{m["export.margin.large"]}</option>
                  </select>
                </div>
              )}
            </>
          )}
        </div>
        {kind !== "raw" && (
          <div className="stack" style={{ gap: "0.3rem" }}>
            <label style={{ display: "flex", gap: "0.4rem" }}>
              <input
                type="checkbox"
                checked={policy.dropSlightlyBetter}
                onChange={(e) => setPolicy({ ...policy, dropSlightlyBetter: e.target.checked })}
              />
              {m["export.dropSlightly"]}
            </label>
            <label style={{ display: "flex", gap: "0.4rem" }}>
              <input
                type="checkbox"
                checked={policy.safetyPairs}
                onChange={(e) => setPolicy({ ...policy, safetyPairs: e.target.checked })}
              />
              {m["export.safetyPairs"]}
            </label>
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
        {error && (
          <p className="alert alert-error" role="alert">
            {error.message}
          </p>
        )}
        {built !== null && (
          <p className="alert alert-ok" role="status">
            {fill(m["export.built"], { id: built })}{" "}
            <a href={`/api/exports/${built}/download`} download>
              {m["export.download"]}
            </a>
          </p>
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
