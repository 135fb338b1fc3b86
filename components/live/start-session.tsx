"use client";

import { useState, useTransition } from "react";
import { startLiveSessionAction } from "@/app/(annotate)/live/[slug]/actions";
import type { MessageKey } from "@/lib/i18n";
import { fill } from "@/lib/i18n/fill";

/** The button that starts a session (the server action redirects into it). */
export function StartLiveSession({ slug, messages: m }: { slug: string; messages: Record<MessageKey, string> }) {
  const [pending, start] = useTransition();
  const [error, setError] = useState<string | null>(null);
  return (
    <div>
      <button
        type="button"
        className="btn btn-primary btn-large"
        disabled={pending}
        onClick={() =>
          start(async () => {
            const result = await startLiveSessionAction(slug);
            if (result && !result.ok) setError(result.message);
          })
        }
      >
        {m["live.start"]}
      </button>
      {error ? (
        <p className="field-error" role="alert">
          {fill(m["live.error"], { message: error })}
        </p>
      ) : null}
    </div>
  );
}
