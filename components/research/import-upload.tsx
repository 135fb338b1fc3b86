"use client";

import { useRouter } from "next/navigation";
import { useRef, useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Checkbox, Field, SubmitRow } from "@/components/ui/form";
import { Table } from "@/components/ui/table";
import type { Messages } from "@/lib/i18n";
import { fill } from "@/lib/i18n/fill";

type Problem = { line: number; field: string; message: string };
type Summary = { created: number; updated: number; unchanged: number; tasksCreated: number; dryRun?: boolean };
type Outcome =
  | { kind: "done"; summary: Summary }
  | { kind: "refused"; message: string; problems: Problem[]; problemCount: number }
  | { kind: "error"; message: string };

/**
 * Uploads a JSONL or CSV file to the import route with a progress bar, then shows the
 * summary or the report of every problem (line, field, message). XMLHttpRequest, because
 * fetch cannot report upload progress.
 */
export function ImportUpload({ slug, messages: m }: { slug: string; messages: Messages }) {
  const router = useRouter();
  const fileRef = useRef<HTMLInputElement>(null);
  const [update, setUpdate] = useState(false);
  const [dryRun, setDryRun] = useState(false);
  const [progress, setProgress] = useState<number | null>(null);
  const [processing, setProcessing] = useState(false);
  const [outcome, setOutcome] = useState<Outcome | null>(null);

  function start(e: React.FormEvent) {
    e.preventDefault();
    const file = fileRef.current?.files?.[0];
    if (!file) return;
    const format = /\.csv$/i.test(file.name) ? "csv" : "jsonl";
    const query = new URLSearchParams({ format, ...(update ? { update: "1" } : {}), ...(dryRun ? { dryRun: "1" } : {}) });
    const xhr = new XMLHttpRequest();
    xhr.open("POST", `/api/projects/${encodeURIComponent(slug)}/import?${query}`);
    xhr.setRequestHeader("Content-Type", format === "csv" ? "text/csv" : "application/x-ndjson");
    xhr.upload.onprogress = (ev) => {
      if (ev.lengthComputable) setProgress(Math.round((ev.loaded / ev.total) * 100));
    };
    xhr.upload.onload = () => setProcessing(true);
    xhr.onerror = () => {
      setProgress(null);
      setProcessing(false);
      setOutcome({ kind: "error", message: m["error.title"] });
    };
    xhr.onload = () => {
      setProgress(null);
      setProcessing(false);
      let body: Record<string, unknown> = {};
      try {
        body = JSON.parse(xhr.responseText) as Record<string, unknown>;
      } catch {
        // Not JSON: fall through to a generic error.
      }
      const result = (body.result ?? body) as Record<string, unknown>;
      if (xhr.status === 200) {
        setOutcome({
          kind: "done",
          summary: {
            created: Number(result.created ?? 0),
            updated: Number(result.updated ?? 0),
            unchanged: Number(result.unchanged ?? 0),
            tasksCreated: Number(result.tasksCreated ?? 0),
            dryRun,
          },
        });
        router.refresh();
        return;
      }
      const error = (body.error ?? {}) as { message?: string };
      const problems = (result.problems ?? (body.error as Record<string, unknown> | undefined)?.problems ?? []) as Problem[];
      if (problems.length) {
        setOutcome({
          kind: "refused",
          message: error.message ?? "",
          problems,
          problemCount: Number(result.problemCount ?? (body.error as Record<string, unknown> | undefined)?.problemCount ?? problems.length),
        });
      } else {
        setOutcome({ kind: "error", message: error.message ?? `${m["error.title"]} (HTTP ${xhr.status})` });
      }
    };
    setOutcome(null);
    setProgress(0);
    xhr.send(file);
  }

  const busy = progress !== null || processing;
  return (
    <div className="stack">
      <form className="panel stack" onSubmit={start}>
        <p className="muted" style={{ margin: 0 }}>
          {m["import.help"]}
        </p>
        <Field id="import-file" label={m["import.file"]}>
          {(control) => (
            <input {...control} ref={fileRef} type="file" accept=".jsonl,.ndjson,.json,.csv,application/x-ndjson,text/csv" required />
          )}
        </Field>
        <Checkbox checked={update} onChange={(e) => setUpdate(e.target.checked)}>
          {m["import.update"]}
        </Checkbox>
        <Checkbox checked={dryRun} onChange={(e) => setDryRun(e.target.checked)}>
          {m["import.dryRun"]}
        </Checkbox>
        <SubmitRow busy={busy}>{m["import.submit"]}</SubmitRow>
        {progress !== null && !processing && (
          <div className="stack" style={{ gap: "0.3rem" }}>
            <div
              className="progress"
              role="progressbar"
              aria-label={m["import.file"]}
              aria-valuemin={0}
              aria-valuemax={100}
              aria-valuenow={progress}
            >
              <span style={{ width: `${progress}%` }} />
            </div>
            <span className="muted">{fill(m["import.uploading"], { percent: progress })}</span>
          </div>
        )}
        {processing && (
          <p className="muted" role="status">
            {m["import.processing"]}
          </p>
        )}
      </form>
      {outcome?.kind === "done" && (
        <Alert ok>
          {fill(outcome.summary.dryRun ? m["import.checked"] : m["import.done"], {
            created: outcome.summary.created,
            updated: outcome.summary.updated,
            unchanged: outcome.summary.unchanged,
            tasks: outcome.summary.tasksCreated,
          })}
        </Alert>
      )}
      {outcome?.kind === "error" && <Alert>{outcome.message}</Alert>}
      {outcome?.kind === "refused" && (
        <section className="panel stack" aria-labelledby="import-report-h">
          <Alert id="import-report-h">{fill(m["import.refused"], { count: outcome.problemCount })}</Alert>
          <Table
            rows={outcome.problems}
            rowKey={(_, i) => i}
            columns={[
              { header: m["import.col.line"], cell: (p) => p.line },
              { header: m["import.col.field"], cell: (p) => <code>{p.field}</code> },
              { header: m["import.col.message"], cell: (p) => p.message },
            ]}
          />
          {outcome.problemCount > outcome.problems.length && (
            <p className="muted">{fill(m["import.more"], { n: outcome.problemCount - outcome.problems.length })}</p>
          )}
        </section>
      )}
    </div>
  );
}
