"use client";

import { useState, useTransition } from "react";
import { extendUncertainTasksAction } from "@/app/(research)/projects/[slug]/dashboard/actions";
import { fill, type Messages } from "@/components/dashboard/format";

/** Runs adaptive overlap for a project and says what it asked for. */
export function ExtendUncertainButton({ projectSlug, messages: m }: { projectSlug: string; messages: Messages }) {
  const [pending, start] = useTransition();
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const run = () =>
    start(async () => {
      const r = await extendUncertainTasksAction({ projectSlug });
      if (!r.ok) return setMessage({ ok: false, text: r.message });
      setMessage({
        ok: true,
        text:
          r.data.maxExtra === 0
            ? m["models.extendOff"]
            : fill(m["models.extended"], {
                extended: r.data.extended,
                uncertain: r.data.uncertain,
                posterior: r.data.minPosterior,
                max: r.data.maxExtra,
              }),
      });
    });
  return (
    <div className="stack" style={{ gap: 4 }}>
      <button type="button" className="btn" style={{ alignSelf: "flex-start" }} onClick={run} disabled={pending}>
        {pending ? m["models.extending"] : m["models.extend"]}
      </button>
      {message && (
        <p role="status" className={message.ok ? "muted" : "alert alert-error"} style={{ margin: 0 }}>
          {message.text}
        </p>
      )}
    </div>
  );
}
