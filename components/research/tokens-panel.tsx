"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { createApiTokenAction, revokeApiTokenAction } from "@/app/(research)/tokens/actions";
import { TOKEN_SCOPES } from "@/lib/auth/tokens";
import type { Locale, MessageKey } from "@/lib/i18n";

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

type Messages = Record<MessageKey, string>;

/** Create a token (the secret is shown once, here, and never again), list and revoke. */
export function TokensPanel({ rows, messages: m, locale }: { rows: TokenRow[]; messages: Messages; locale: Locale }) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [errors, setErrors] = useState<Record<string, string[]>>({});
  const [error, setError] = useState<string | null>(null);
  // Held in component state only: a reload or navigation forgets it, which is the point.
  const [created, setCreated] = useState<{ name: string; token: string } | null>(null);
  const when = (iso: string | null) => (iso ? new Date(iso).toLocaleString(locale) : m["tokens.never"]);

  return (
    <div className="stack">
      {error && (
        <p className="alert alert-error" role="alert">
          {error}
        </p>
      )}
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
      <form
        className="panel stack"
        style={{ maxWidth: 480 }}
        onSubmit={(e) => {
          e.preventDefault();
          const form = e.currentTarget;
          const data = new FormData(form);
          startTransition(async () => {
            const result = await createApiTokenAction({
              name: String(data.get("name") ?? ""),
              scopes: data.getAll("scopes").map(String),
              projectSlug: String(data.get("projectSlug") ?? ""),
              expiresInDays: String(data.get("expiresInDays") ?? ""),
            });
            if (!result.ok) {
              setErrors(result.fieldErrors ?? {});
              setError(result.message);
              return;
            }
            setErrors({});
            setError(null);
            form.reset();
            setCreated({ name: result.data.name, token: result.data.token });
            router.refresh();
          });
        }}
      >
        <h2>{m["tokens.create"]}</h2>
        <div className="field">
          <label htmlFor="token-name">{m["tokens.name"]}</label>
          <input id="token-name" name="name" required maxLength={100} aria-invalid={Boolean(errors.name)} />
          {errors.name && <span className="field-error">{errors.name.join(" ")}</span>}
        </div>
        <fieldset className="field">
          <legend>{m["tokens.scopes"]}</legend>
          {TOKEN_SCOPES.map((s) => (
            <label key={s} style={{ display: "block" }}>
              <input type="checkbox" name="scopes" value={s} /> {m[`tokens.scope.${s}`]}
            </label>
          ))}
          {errors.scopes && <span className="field-error">{errors.scopes.join(" ")}</span>}
        </fieldset>
        <div className="field">
          <label htmlFor="token-project">{m["tokens.project"]}</label>
          <input id="token-project" name="projectSlug" aria-invalid={Boolean(errors.projectSlug)} />
          {errors.projectSlug && <span className="field-error">{errors.projectSlug.join(" ")}</span>}
        </div>
        <div className="field">
          <label htmlFor="token-expiry">{m["tokens.expiresInDays"]}</label>
          <input
            id="token-expiry"
            name="expiresInDays"
            type="number"
            min={1}
            max={365}
            defaultValue={90}
            aria-invalid={Boolean(errors.expiresInDays)}
          />
          {errors.expiresInDays && <span className="field-error">{errors.expiresInDays.join(" ")}</span>}
        </div>
        <button className="btn btn-primary" type="submit" disabled={pending}>
          {m["tokens.submit"]}
        </button>
      </form>
      <h2>{m["tokens.list"]}</h2>
      {rows.length === 0 ? (
        <p className="muted">{m["tokens.empty"]}</p>
      ) : (
        <table>
          <caption className="sr-only">{m["tokens.list"]}</caption>
          <thead>
            <tr>
              <th scope="col">{m["tokens.col.name"]}</th>
              <th scope="col">{m["tokens.col.prefix"]}</th>
              <th scope="col">{m["tokens.col.scopes"]}</th>
              <th scope="col">{m["tokens.col.project"]}</th>
              <th scope="col">{m["tokens.col.expires"]}</th>
              <th scope="col">{m["tokens.col.lastUsed"]}</th>
              <th scope="col">{m["tokens.col.state"]}</th>
              <th scope="col" />
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.id}>
                <td>{r.name}</td>
                <td>
                  <code>{r.tokenPrefix}…</code>
                </td>
                <td>{r.scopes.join(", ")}</td>
                <td>{r.projectSlug ?? m["tokens.allProjects"]}</td>
                <td>{when(r.expiresAt)}</td>
                <td>{r.lastUsedAt ? when(r.lastUsedAt) : "—"}</td>
                <td>{m[`tokens.state.${r.state}`]}</td>
                <td>
                  {r.state !== "revoked" && (
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
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
