"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { addEndpointAction, archiveEndpointAction, testEndpointAction } from "@/app/(research)/endpoints/actions";
import { Alert, ErrorAlert } from "@/components/ui/alert";
import { Field, SubmitRow } from "@/components/ui/form";
import { Table } from "@/components/ui/table";
import { fill, type MessageKey, type Messages } from "@/lib/i18n";
import type { EndpointView } from "@/lib/services/endpoints";

/** The endpoint list (what each honours, its limits), and for admins: add, test connection, archive. */
export function EndpointsPanel({ endpoints, canWrite, messages: m }: { endpoints: EndpointView[]; canWrite: boolean; messages: Messages }) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [testing, setTesting] = useState<string | null>(null);
  const [errors, setErrors] = useState<Record<string, string[]>>({});
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const yes = (b: boolean) => (b ? m["endpoints.yes"] : m["endpoints.no"]);
  const field = (name: string, label: MessageKey, props: React.InputHTMLAttributes<HTMLInputElement> = {}) => (
    <Field id={`endpoint-${name}`} label={m[label]} errors={errors[name]}>
      {(control) => <input {...control} name={name} {...props} />}
    </Field>
  );
  const run = (work: () => Promise<{ ok: boolean; message?: string }>) =>
    startTransition(async () => {
      const result = await work();
      setTesting(null);
      if (!result.ok) setError(result.message ?? m["error.title"]);
      router.refresh();
    });

  return (
    <div className="stack">
      <ErrorAlert error={error} />
      {notice && <Alert ok>{notice}</Alert>}
      <Table
        rows={endpoints}
        rowKey={(e) => e.name}
        empty={m["endpoints.none"]}
        columns={[
          {
            header: m["endpoints.name"],
            cell: (e) => (
              <>
                {e.name}
                {e.isDemo && <span className="badge"> {m["generate.demoModel"]}</span>}
                {e.archived && <span className="badge badge-archived"> {m["endpoints.archived"]}</span>}
                {e.apiKeyEnv && <div className="muted">{fill(m["endpoints.key"], { name: e.apiKeyEnv })}</div>}
              </>
            ),
          },
          { header: m["endpoints.baseUrl"], cell: (e) => e.baseUrl, style: { overflowWrap: "anywhere" } },
          { header: m["endpoints.model"], cell: (e) => e.model },
          {
            header: m["endpoints.concurrency"],
            cell: (e) =>
              fill(m["endpoints.limits"], {
                concurrency: e.concurrency,
                rpm: e.rpm ? fill(m["endpoints.rpmSuffix"], { rpm: e.rpm }) : "",
                timeout: e.timeoutS,
              }),
          },
          {
            header: m["endpoints.test"],
            cell: ({ capabilities: c }) =>
              !c
                ? m["endpoints.untested"]
                : c.error
                  ? fill(m["endpoints.failed"], { error: c.error })
                  : fill(m["endpoints.honours"], {
                      streaming: yes(c.streaming),
                      n: yes(c.n),
                      seed: yes(c.seed),
                      usage: yes(c.streamUsage),
                    }),
          },
          canWrite && {
            cell: (e) => (
              <div className="toolbar">
                <button
                  className="btn btn-small"
                  type="button"
                  disabled={testing !== null}
                  aria-label={`${m["endpoints.test"]}: ${e.name}`}
                  onClick={() => {
                    setTesting(e.name);
                    run(() => testEndpointAction({ name: e.name }));
                  }}
                >
                  {testing === e.name ? m["endpoints.testing"] : m["endpoints.test"]}
                </button>
                {!e.isDemo && (
                  <button
                    className="btn btn-small"
                    type="button"
                    disabled={pending}
                    onClick={() => run(() => archiveEndpointAction({ name: e.name, archived: !e.archived }))}
                  >
                    {e.archived ? m["endpoints.restore"] : m["endpoints.archive"]}
                  </button>
                )}
              </div>
            ),
          },
        ]}
      />
      {canWrite && (
        <form
          className="panel stack"
          style={{ maxWidth: 640 }}
          onSubmit={(ev) => {
            ev.preventDefault();
            const form = ev.currentTarget;
            const d = new FormData(form);
            const s = (k: string) => String(d.get(k) ?? "");
            startTransition(async () => {
              const result = await addEndpointAction({
                name: s("name"),
                baseUrl: s("baseUrl"),
                model: s("model"),
                apiKeyEnv: s("apiKeyEnv"),
                timeoutS: s("timeoutS"),
                concurrency: s("concurrency"),
                rpm: s("rpm"),
                params: { temperature: s("temperature"), max_tokens: s("max_tokens"), top_p: s("top_p"), seed: s("seed") },
              });
              if (!result.ok) {
                setErrors(Object.fromEntries(Object.entries(result.fieldErrors ?? {}).map(([k, v]) => [k.replace(/^params\./, ""), v])));
                setError(result.message);
                setNotice(null);
                return;
              }
              setErrors({});
              setError(null);
              setNotice(fill(m["endpoints.saved"], { name: result.data.name }));
              form.reset();
              router.refresh();
            });
          }}
        >
          <h2>{m["endpoints.add"]}</h2>
          <p className="muted">{m["endpoints.private"]}</p>
          <div className="form-grid">
            {field("name", "endpoints.name", { required: true, maxLength: 64 })}
            {field("baseUrl", "endpoints.baseUrl", { required: true, placeholder: "http://gpu-box:8000/v1" })}
            {field("model", "endpoints.model", { required: true })}
            {field("apiKeyEnv", "endpoints.apiKeyEnv", { placeholder: "OPENAI_API_KEY" })}
            {field("temperature", "endpoints.temperature", { inputMode: "decimal" })}
            {field("max_tokens", "endpoints.maxTokens", { inputMode: "numeric" })}
            {field("top_p", "endpoints.topP", { inputMode: "decimal" })}
            {field("seed", "endpoints.seed", { inputMode: "numeric" })}
            {field("timeoutS", "endpoints.timeout", { inputMode: "numeric", defaultValue: "120" })}
            {field("concurrency", "endpoints.concurrency", { inputMode: "numeric", defaultValue: "4" })}
            {field("rpm", "endpoints.rpm", { inputMode: "numeric" })}
          </div>
          <SubmitRow busy={pending}>{m["endpoints.save"]}</SubmitRow>
        </form>
      )}
    </div>
  );
}
