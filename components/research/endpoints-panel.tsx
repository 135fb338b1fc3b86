"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { addEndpointAction, archiveEndpointAction, testEndpointAction } from "@/app/(research)/endpoints/actions";
import { Alert, ErrorAlert } from "@/components/ui/alert";
import { Field, SubmitRow } from "@/components/ui/form";
import { Table } from "@/components/ui/table";
import { formText, useActionForm } from "@/components/ui/use-action-form";
import { fill, type MessageKey, type Messages } from "@/lib/i18n";
import type { EndpointView } from "@/lib/services/endpoints";

/** The endpoint list (what each honours, its limits), and for admins: add, test connection, archive. */
export function EndpointsPanel({ endpoints, canWrite, messages: m }: { endpoints: EndpointView[]; canWrite: boolean; messages: Messages }) {
  const router = useRouter();
  const [testing, setTesting] = useState<string | null>(null);
  const { pending, startTransition, errors, error, setError, notice, onSubmit } = useActionForm(
    (d) =>
      addEndpointAction({
        ...Object.fromEntries(["name", "baseUrl", "model", "apiKeyEnv", "timeoutS", "concurrency", "rpm"].map((k) => [k, formText(d, k)])),
        params: Object.fromEntries(["temperature", "max_tokens", "top_p", "seed"].map((k) => [k, formText(d, k)])),
      }),
    (saved, form) => {
      form.reset();
      return fill(m["endpoints.saved"], { name: saved.name });
    },
  );
  const yes = (b: boolean) => (b ? m["endpoints.yes"] : m["endpoints.no"]);
  const field = (name: string, label: MessageKey, props: React.InputHTMLAttributes<HTMLInputElement> = {}) => (
    // A sampling parameter's errors come back under params.<name>.
    <Field id={`endpoint-${name}`} label={m[label]} errors={errors[name] ?? errors[`params.${name}`]}>
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
          { header: m["endpoints.name"], cell: (e) => <EndpointName endpoint={e} messages={m} /> },
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
        <form className="panel stack" style={{ maxWidth: 640 }} onSubmit={onSubmit}>
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

/** An endpoint's name with what marks it: demo, archived, and the variable its key is read from (never the key). */
function EndpointName({ endpoint: e, messages: m }: { endpoint: EndpointView; messages: Messages }) {
  return (
    <>
      {e.name}
      {e.isDemo && <span className="badge"> {m["generate.demoModel"]}</span>}
      {e.archived && <span className="badge badge-archived"> {m["endpoints.archived"]}</span>}
      {e.apiKeyEnv && <div className="muted">{fill(m["endpoints.key"], { name: e.apiKeyEnv })}</div>}
    </>
  );
}
