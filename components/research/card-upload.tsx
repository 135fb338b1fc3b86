"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useRef, useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Field, SubmitRow } from "@/components/ui/form";
import type { MessageKey } from "@/lib/i18n";
import { fill } from "@/lib/i18n/fill";

type Imported = { file: string; id: number; name: string; status: "created" | "unchanged"; spec: string; source: string };
type Outcome = { kind: "done"; characters: Imported[] } | { kind: "refused"; message: string };

/**
 * Uploads Character Card files (JSON or PNG) to /api/characters/import, all or nothing,
 * then lists what became of each card or shows the refusal naming the file and field.
 */
export function CardUpload({ messages: m }: { messages: Record<MessageKey, string> }) {
  const router = useRouter();
  const fileRef = useRef<HTMLInputElement>(null);
  const [userName, setUserName] = useState("");
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome | null>(null);

  async function submit(e: React.FormEvent) {
    e.preventDefault();
    const files = fileRef.current?.files;
    if (!files || files.length === 0) return;
    const body = new FormData();
    for (const file of Array.from(files)) body.append("files", file);
    if (userName.trim()) body.append("userName", userName.trim());
    setBusy(true);
    setOutcome(null);
    try {
      const response = await fetch("/api/characters/import", { method: "POST", body });
      const json = (await response.json().catch(() => ({}))) as { characters?: Imported[]; error?: { message?: string } };
      if (response.ok && json.characters) {
        setOutcome({ kind: "done", characters: json.characters });
        if (fileRef.current) fileRef.current.value = "";
        router.refresh();
      } else {
        setOutcome({ kind: "refused", message: json.error?.message ?? `${m["error.title"]} (HTTP ${response.status})` });
      }
    } catch {
      setOutcome({ kind: "refused", message: m["error.title"] });
    } finally {
      setBusy(false);
    }
  }

  const created = outcome?.kind === "done" ? outcome.characters.filter((c) => c.status === "created").length : 0;
  return (
    <details className="panel">
      <summary>
        <strong>{m["cards.title"]}</strong>
      </summary>
      <form className="stack" onSubmit={submit} style={{ marginTop: "0.75rem" }}>
        <p className="muted" style={{ margin: 0 }}>
          {m["cards.help"]}
        </p>
        <Field id="card-files" label={m["cards.files"]}>
          {(control) => <input {...control} ref={fileRef} type="file" multiple accept=".json,.png,application/json,image/png" required />}
        </Field>
        <Field id="card-user-name" label={m["cards.userName"]} hint={m["cards.userNameHint"]}>
          {(control) => <input {...control} value={userName} maxLength={200} onChange={(e) => setUserName(e.target.value)} />}
        </Field>
        <SubmitRow busy={busy}>{busy ? m["cards.importing"] : m["cards.submit"]}</SubmitRow>
        <div role="status" aria-live="polite">
          {outcome?.kind === "done" && (
            <div className="stack" style={{ gap: "0.3rem" }}>
              <span>{fill(m["cards.done"], { created, unchanged: outcome.characters.length - created })}</span>
              <ul style={{ margin: 0 }}>
                {outcome.characters.map((c) => (
                  <li key={`${c.file}-${c.id}`}>
                    {c.file}: <Link href={`/characters/${c.id}`}>{c.name}</Link> (
                    {c.status === "created" ? m["cards.created"] : m["cards.unchanged"]}, {c.spec})
                  </li>
                ))}
              </ul>
            </div>
          )}
        </div>
        {outcome?.kind === "refused" && (
          <Alert style={{ margin: 0 }}>
            {m["cards.refused"]} {outcome.message}
          </Alert>
        )}
      </form>
    </details>
  );
}
