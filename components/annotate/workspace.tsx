"use client";

import Link from "next/link";
import { useCallback, useEffect, useLayoutEffect, useRef, useState } from "react";
import { nextTaskAction, skipAndNextAction, submitAndNextAction } from "@/app/(annotate)/annotate/[slug]/actions";
import { ModelText } from "@/components/content/model-text";
import { ProgressBar } from "@/components/ui/progress-bar";
import type { Locale, MessageKey } from "@/lib/i18n";
import { fill } from "@/lib/i18n/fill";
import type { NextLease } from "@/lib/services/annotation";
import type { LeasePayload } from "@/lib/services/annotation-views";
import { TaskForm } from "./task-form";

type Messages = Record<MessageKey, string>;

function localMidnight(): string {
  const d = new Date();
  d.setHours(0, 0, 0, 0);
  return d.toISOString();
}

/**
 * The annotator's queue: leases the next task at once; a submit or a skip is one request
 * whose answer carries the next task, which replaces the last in place — no navigation,
 * no loading state between tasks: the last task stays on screen (its submit button
 * pending) until the next one is rendered in one commit, replies included. The persona
 * panel's state is kept per annotator (useStoredFlag), the answer draft per lease. The
 * server decides everything (what comes next, the display order); this only renders and
 * sends answers.
 */
export function Workspace({
  slug,
  name,
  guidelines,
  userId,
  messages: m,
  locale,
}: {
  slug: string;
  name: string;
  guidelines: string;
  userId: number;
  messages: Messages;
  locale: Locale;
}) {
  const [payload, setPayload] = useState<LeasePayload | null>(null);
  const [state, setState] = useState<"loading" | "ready" | "empty" | "error">("loading");
  const [notice, setNotice] = useState<{ ok: boolean; text: string } | null>(null);
  const [showGuidelines, setShowGuidelines] = useState(false);
  const taskLabelRef = useRef<HTMLSpanElement>(null);

  /** Puts the server's answer on screen in one render: the next task in place of the last, or why there is none. */
  const show = useCallback(
    (next: NextLease, after?: string) => {
      if (!next.ok) {
        // The submit or skip stands; only the next task was refused.
        setState("error");
        setNotice({ ok: false, text: after ? `${after} ${next.message}` : next.message });
        return;
      }
      if (!next.lease) {
        setPayload(null);
        setState("empty");
        if (after) setNotice({ ok: true, text: after });
        return;
      }
      setPayload(next.lease);
      setState("ready");
      setNotice(after ? { ok: true, text: after } : next.lease.assignment.resumed ? { ok: true, text: m["annotate.resumed"] } : null);
    },
    [m],
  );

  // The first task is leased on mount (a page GET or a prefetch never takes work).
  useEffect(() => {
    void nextTaskAction({ slug, todaySince: localMidnight() }).then((result) =>
      show(result.ok ? { ok: true, lease: result.data } : result),
    );
  }, [slug, show]);

  // A new task starts at the top of the page with focus on its label, so a screen reader
  // announces it and Tab starts from the top; before its first paint, so nothing jumps.
  // The panes start anew with the task (the dialogue at its end, the replies at their start).
  const shownId = state === "ready" ? payload?.assignment.id : undefined;
  useLayoutEffect(() => {
    if (shownId === undefined) return;
    window.scrollTo({ top: 0 });
    taskLabelRef.current?.focus({ preventScroll: true });
  }, [shownId]);

  const progress = payload?.progress;
  return (
    <div className="workspace-screen">
      <div className="workspace-bar panel">
        <div className="workspace-bar-row">
          <h1 className="workspace-title">{name}</h1>
          <span ref={taskLabelRef} tabIndex={-1} className="task-label" data-testid="task-label">
            {payload && state === "ready" ? fill(m["workspace.task"], { id: payload.task.id }) : ""}
          </span>
          <div className="toolbar">
            <button className="btn btn-small" type="button" aria-expanded={showGuidelines} onClick={() => setShowGuidelines((v) => !v)}>
              {showGuidelines ? m["annotate.hideGuidelines"] : m["annotate.guidelines"]}
            </button>
            <Link className="btn btn-small" href={`/history?project=${encodeURIComponent(slug)}`}>
              {m["annotate.history"]}
            </Link>
          </div>
          {progress && (
            <div className="workspace-progress">
              <span>
                {fill(m["annotate.progressMine"], { n: progress.mineToday })} ·{" "}
                {fill(m["annotate.progressProject"], {
                  done: progress.projectJudgments,
                  needed: progress.projectNeeded,
                  percent: Math.round(progress.projectCompletion * 100),
                })}
              </span>
              <ProgressBar value={progress.projectJudgments} max={progress.projectNeeded} label={m["annotate.progressLabel"]} />
            </div>
          )}
        </div>
        {showGuidelines && (
          <section className="guidelines" aria-label={m["annotate.guidelines"]}>
            <ModelText text={guidelines} markdown />
          </section>
        )}
      </div>
      {notice && (
        <p className={`alert workspace-notice ${notice.ok ? "alert-ok" : "alert-error"}`} role={notice.ok ? "status" : "alert"}>
          {notice.text}
        </p>
      )}
      {state === "loading" && (
        <p className="muted" role="status">
          {m["annotate.loading"]}
        </p>
      )}
      {state === "empty" && (
        <div className="panel stack">
          <p>{m["annotate.empty"]}</p>
          <Link href="/">{m["annotate.backHome"]}</Link>
        </div>
      )}
      {state === "ready" && payload && (
        <TaskForm
          key={payload.assignment.id}
          view={payload}
          messages={m}
          locale={locale}
          userId={userId}
          draftKey={`arbiter:draft:${payload.assignment.id}`}
          submitLabel={m["annotate.submit"]}
          onSubmit={async (answer) => {
            // One request: the answer goes, the next task comes back with it.
            const result = await submitAndNextAction({ slug, assignmentId: payload.assignment.id, answer, todaySince: localMidnight() });
            if (result.ok) show(result.data.next, m["annotate.saved"]);
            return result;
          }}
          onSkip={async (reason, note) => {
            const result = await skipAndNextAction({
              slug,
              assignmentId: payload.assignment.id,
              reason,
              note,
              todaySince: localMidnight(),
            });
            if (!result.ok) {
              setNotice({ ok: false, text: result.message });
              return;
            }
            show(result.data.next, m["annotate.skipped"]);
          }}
        />
      )}
    </div>
  );
}
