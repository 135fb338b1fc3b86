"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { createApiTokenAction, revokeApiTokenAction } from "@/app/(research)/tokens/actions";
import { ErrorAlert } from "@/components/ui/alert";
import { Field, FieldError, SubmitRow } from "@/components/ui/form";
import { Table } from "@/components/ui/table";
import { formText, useActionForm } from "@/components/ui/use-action-form";
import { TOKEN_SCOPES } from "@/lib/auth/tokens";
import type { Locale, Messages } from "@/lib/i18n";

export type TokenRow = {
  id: number;
  name: string;
  tokenPrefix: string;
  scopes: string[];
  projectSlug: string | null;
  state: "active" | "revoked" | "expired";
  expiresAt: string | null;
  lastUsedAt: string | null;
};

/** Create a token (the secret is shown once, here, and never again), list and revoke. */
export function TokensPanel({ rows, messages: m, locale }: { rows: TokenRow[]; messages: Messages; locale: Locale }) {
  const router = useRouter();
  // Held in component state only: a reload or navigation forgets it, which is the point.
  const [created, setCreated] = useState<{ name: string; token: string } | null>(null);
  const { pending, startTransition, errors, error, setError, onSubmit } = useActionForm(
    (data) =>
      createApiTokenAction({
        name: formText(data, "name"),
        scopes: data.getAll("scopes").map(String),
        projectSlug: formText(data, "projectSlug"),
        expiresInDays: formText(data, "expiresInDays"),
      }),
    (token, form) => {
      form.reset();
      setCreated({ name: token.name, token: token.token });
    },
  );
  const when = (iso: string | null) => (iso ? new Date(iso).toLocaleString(locale) : m["tokens.never"]);

  return (
    <div className="stack">
      <ErrorAlert error={error} />
      {created && (
        <div className="alert alert-ok" role="status">
          <p>{m["tokens.created"]}</p>
          <label htmlFor="new-token-value">
            {m["tokens.newToken"]}: {created.name}
          </label>
          <input
            id="new-token-value"
            readOnly
            value={created.token}
            onFocus={(e) => e.currentTarget.select()}
            style={{ width: "100%", fontFamily: "monospace" }}
          />
        </div>
      )}
      <form className="panel stack" style={{ maxWidth: 480 }} onSubmit={onSubmit}>
        <h2>{m["tokens.create"]}</h2>
        <Field id="token-name" label={m["tokens.name"]} errors={errors.name}>
          {(control) => <input {...control} name="name" required maxLength={100} />}
        </Field>
        <fieldset className="field">
          <legend>{m["tokens.scopes"]}</legend>
          {TOKEN_SCOPES.map((s) => (
            <label key={s} style={{ display: "block" }}>
              <input type="checkbox" name="scopes" value={s} /> {m[`tokens.scope.${s}`]}
            </label>
          ))}
          <FieldError errors={errors.scopes} />
        </fieldset>
        <Field id="token-project" label={m["tokens.project"]} errors={errors.projectSlug}>
          {(control) => <input {...control} name="projectSlug" />}
        </Field>
        <Field id="token-expiry" label={m["tokens.expiresInDays"]} errors={errors.expiresInDays}>
          {(control) => <input {...control} name="expiresInDays" type="number" min={1} max={365} defaultValue={90} />}
        </Field>
        <SubmitRow busy={pending}>{m["tokens.submit"]}</SubmitRow>
      </form>
      <h2>{m["tokens.list"]}</h2>
      <Table
        caption={m["tokens.list"]}
        captionHidden
        rows={rows}
        rowKey={(r) => r.id}
        empty={m["tokens.empty"]}
        columns={[
          { header: m["tokens.col.name"], cell: (r) => r.name },
          { header: m["tokens.col.prefix"], cell: (r) => <code>{r.tokenPrefix}…</code> },
          { header: m["tokens.col.scopes"], cell: (r) => r.scopes.join(", ") },
          { header: m["tokens.col.project"], cell: (r) => r.projectSlug ?? m["tokens.allProjects"] },
          { header: m["tokens.col.expires"], cell: (r) => when(r.expiresAt) },
          { header: m["tokens.col.lastUsed"], cell: (r) => (r.lastUsedAt ? when(r.lastUsedAt) : "—") },
          { header: m["tokens.col.state"], cell: (r) => m[`tokens.state.${r.state}`] },
          {
            cell: (r) =>
              r.state !== "revoked" && (
                <button
                  className="btn"
                  type="button"
                  disabled={pending}
                  aria-label={`${m["tokens.revoke"]}: ${r.name}`}
                  onClick={() =>
                    startTransition(async () => {
                      const result = await revokeApiTokenAction({ tokenId: r.id });
                      if (!result.ok) setError(result.message);
                      else router.refresh();
                    })
                  }
                >
                  {m["tokens.revoke"]}
                </button>
              ),
          },
        ]}
      />
    </div>
  );
}
