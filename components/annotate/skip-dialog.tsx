"use client";

import { useEffect, useRef, useState } from "react";
import type { MessageKey } from "@/lib/i18n";
import { SKIP_REASONS } from "@/lib/validation/skip-reasons";

/** Asks why a task is skipped (reason, optional note); Escape cancels. */
export function SkipDialog({
  messages: m,
  onCancel,
  onSkip,
}: {
  messages: Record<MessageKey, string>;
  onCancel: () => void;
  onSkip: (reason: string, note: string) => Promise<void>;
}) {
  const [reason, setReason] = useState<string>(SKIP_REASONS[0]);
  const [note, setNote] = useState("");
  const [pending, setPending] = useState(false);
  const first = useRef<HTMLSelectElement>(null);
  useEffect(() => first.current?.focus(), []);
  return (
    <div className="dialog-backdrop">
      <div
        className="panel dialog stack"
        role="dialog"
        aria-modal="true"
        aria-labelledby="skip-h"
        onKeyDown={(e) => {
          if (e.key === "Escape") onCancel();
        }}
      >
        <h2 id="skip-h">{m["annotate.skipTitle"]}</h2>
        <div className="field">
          <label htmlFor="skip-reason">{m["annotate.skipReason"]}</label>
          <select id="skip-reason" ref={first} value={reason} onChange={(e) => setReason(e.target.value)}>
            {SKIP_REASONS.map((r) => (
              <option key={r} value={r}>
                {m[`annotate.skip.${r}`]}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="skip-note">{m["annotate.skipNote"]}</label>
          <textarea id="skip-note" rows={2} value={note} onChange={(e) => setNote(e.target.value)} />
        </div>
        <div className="toolbar">
          <button
            className="btn btn-primary"
            type="button"
            disabled={pending}
            onClick={async () => {
              setPending(true);
              await onSkip(reason, note);
              setPending(false);
            }}
          >
            {m["annotate.skipConfirm"]}
          </button>
          <button className="btn" type="button" onClick={onCancel}>
            {m["annotate.cancel"]}
          </button>
        </div>
      </div>
    </div>
  );
}
