"use client";

import { useRouter } from "next/navigation";
import { useEffect, useState, useTransition } from "react";
import {
  cancelGenerationAction,
  resumeGenerationAction,
  retryGenerationAction,
  startGenerationAction,
} from "@/app/(research)/projects/[slug]/generate/actions";
import { Alert, ErrorAlert } from "@/components/ui/alert";
import { Field, FieldError, SubmitRow } from "@/components/ui/form";
import { ProgressBar } from "@/components/ui/progress-bar";
import { useActionForm } from "@/components/ui/use-action-form";
import { Table } from "@/components/ui/table";
import { fill, type Locale, type Messages } from "@/lib/i18n";
import type { GenerationView } from "@/lib/services/generation";

type EndpointChoice = { name: string; model: string; isDemo: boolean };

function formatEta(seconds: number, locale: Locale): string {
  const zh = locale === "zh-CN";
  if (seconds < 60) return zh ? `${Math.max(1, Math.round(seconds))} 秒` : `${Math.max(1, Math.round(seconds))} s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return zh ? `${minutes} 分钟` : `${minutes} min`;
  return zh ? `${Math.floor(minutes / 60)} 小时 ${minutes % 60} 分钟` : `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

/** Start a generation job; watch the project's jobs live (progress, rate, ETA, errors), cancel, resume, retry. */
export function GenerationPanel({
  slug,
  endpoints,
  jobs,
  messages: m,
  locale,
}: {
  slug: string;
  endpoints: EndpointChoice[];
  jobs: GenerationView[];
  messages: Messages;
  locale: Locale;
}) {
  const router = useRouter();
  const { pending, errors, error, notice, onSubmit } = useActionForm(
    (data) =>
      startGenerationAction({
        projectSlug: slug,
        endpoints: data.getAll("endpoints").map(String),
        samples: String(data.get("samples") ?? "1"),
        onlyMissing: data.get("onlyMissing") === "on",
      }),
    (job) => fill(m[job.total > 0 ? "generate.queued" : "generate.nothing"], { id: job.id, total: job.total }),
  );

  return (
    <div className="stack">
      {endpoints.length === 0 ? (
        <Alert>{m["generate.noEndpoints"]}</Alert>
      ) : (
        <form className="panel stack" style={{ maxWidth: 560 }} onSubmit={onSubmit}>
          <fieldset className="field">
            <legend>{m["generate.endpoints"]}</legend>
            <div className="checkbox-list">
              {endpoints.map((e) => (
                <label key={e.name}>
                  <input type="checkbox" name="endpoints" value={e.name} />
                  {e.name}
                  {e.isDemo ? <span className="badge"> {m["generate.demoModel"]}</span> : <span className="muted"> · {e.model}</span>}
                </label>
              ))}
            </div>
            <FieldError errors={errors.endpoints} />
          </fieldset>
          <Field id="generate-samples" label={m["generate.samples"]} errors={errors.samples}>
            {(control) => <input {...control} name="samples" type="number" min={1} max={8} defaultValue={1} style={{ width: "6rem" }} />}
          </Field>
          <label>
            <input type="checkbox" name="onlyMissing" defaultChecked /> {m["generate.onlyMissing"]}
          </label>
          <SubmitRow busy={pending}>{pending ? m["generate.starting"] : m["generate.start"]}</SubmitRow>
          <ErrorAlert error={error} />
          {notice && <Alert ok>{notice}</Alert>}
        </form>
      )}
      <section className="stack" aria-label={m["generate.jobs"]}>
        <h2>{m["generate.jobs"]}</h2>
        {jobs.length === 0 && <p className="muted">{m["generate.noJobs"]}</p>}
        {jobs.map((job) => (
          <JobCard key={job.id} initial={job} messages={m} locale={locale} onSettled={() => router.refresh()} />
        ))}
      </section>
    </div>
  );
}

/** One job, polled every second while it runs. */
function JobCard({
  initial,
  messages: m,
  locale,
  onSettled,
}: {
  initial: GenerationView;
  messages: Messages;
  locale: Locale;
  onSettled: () => void;
}) {
  const [job, setJob] = useState(initial);
  const [busy, startTransition] = useTransition();
  const [error, setError] = useState<string | null>(null);
  useEffect(() => setJob(initial), [initial]);
  useEffect(() => {
    if (job.state !== "running") return;
    let stopped = false;
    const timer = setInterval(async () => {
      try {
        const res = await fetch(`/api/generations/${job.id}`, { cache: "no-store" });
        if (!res.ok || stopped) return;
        const next = (await res.json()) as GenerationView;
        setJob(next);
        if (next.state !== "running") onSettled();
      } catch {
        /* the next tick tries again */
      }
    }, 1000);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [job.id, job.state, onSettled]);

  const act = (fn: () => Promise<{ ok: true; data: GenerationView } | { ok: false; message: string }>) =>
    startTransition(async () => {
      const result = await fn();
      if (result.ok) {
        setJob(result.data);
        setError(null);
      } else setError(result.message);
    });
  const jobButton = (label: string, work: Parameters<typeof act>[0]) => (
    <button className="btn btn-small" type="button" disabled={busy} onClick={() => act(work)}>
      {label}
    </button>
  );
  const settled = job.done + job.failed + job.cancelled;
  const failed = job.errors.filter((e) => e.state === "failed");
  return (
    <article className="panel stack" aria-label={fill(m["generate.job"], { id: job.id })}>
      <div className="toolbar" style={{ justifyContent: "space-between" }}>
        <h3 style={{ margin: 0 }}>
          {fill(m["generate.job"], { id: job.id })} ·{" "}
          <span className={`badge badge-${job.state === "running" ? "active" : job.state === "cancelled" ? "paused" : "archived"}`}>
            {m[`generate.state.${job.state}`]}
          </span>
        </h3>
        <div className="toolbar">
          {job.state === "running" && jobButton(m["generate.cancel"], () => cancelGenerationAction({ id: job.id }))}
          {job.state === "cancelled" && jobButton(m["generate.resume"], () => resumeGenerationAction({ id: job.id }))}
          {job.state !== "cancelled" &&
            failed.length > 0 &&
            jobButton(m["generate.retryFailed"], () => retryGenerationAction({ id: job.id }))}
        </div>
      </div>
      <p className="muted" style={{ margin: 0 }}>
        {fill(m["generate.meta"], {
          endpoints: job.endpoints.join(", "),
          samples: job.samples,
          when: new Date(job.createdAt).toLocaleString(locale),
        })}
      </p>
      <ProgressBar value={settled} max={job.total} label={fill(m["generate.progressLabel"], { id: job.id })} />
      <p style={{ margin: 0 }} role="status">
        {fill(m["generate.progress"], { settled, total: job.total, done: job.done, failed: job.failed })}
        {job.state === "running" && job.ratePerSecond !== null && <> · {fill(m["generate.rate"], { rate: job.ratePerSecond })}</>}
        {job.state === "running" && job.etaSeconds !== null && job.etaSeconds > 0 && (
          <> · {fill(m["generate.eta"], { eta: formatEta(job.etaSeconds, locale) })}</>
        )}
      </p>
      <ErrorAlert error={error} />
      {job.errors.length > 0 && (
        <details open={failed.length > 0}>
          <summary>
            {m["generate.errors"]} ({job.errors.length})
          </summary>
          <Table
            rows={job.errors}
            rowKey={(e) => e.unitId}
            columns={[
              { header: m["generate.error.item"], cell: (e) => e.externalId },
              { header: m["generate.error.endpoint"], cell: (e) => e.endpoint },
              { header: m["generate.error.sample"], cell: (e) => e.sampleIndex + 1 },
              { header: m["generate.error.attempts"], cell: (e) => e.attempts },
              {
                header: m["generate.error.state"],
                cell: (e) => (e.state === "failed" ? m["generate.error.failed"] : m["generate.error.waiting"]),
              },
              { header: m["generate.error.message"], cell: (e) => e.error, style: { whiteSpace: "pre-wrap", overflowWrap: "anywhere" } },
              {
                cell: (e) =>
                  e.state === "failed" &&
                  job.state !== "cancelled" &&
                  jobButton(m["generate.retryOne"], () => retryGenerationAction({ id: job.id, unitIds: [e.unitId] })),
              },
            ]}
          />
        </details>
      )}
    </article>
  );
}
