"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { acceptJudgmentAction, adjudicateTaskAction, rejectJudgmentAction, restoreJudgmentAction } from "@/app/(lead)/review/actions";
import { retireGoldAction, setTaskGoldAction } from "@/app/(lead)/gold/actions";
import { strengthLabel } from "@/components/annotate/answer-label";
import type { ReviewJudgment } from "@/db/queries/review";
import type { ScalePoints } from "@/lib/domain/preference";
import type { MessageKey } from "@/lib/i18n";
import { fill } from "@/lib/i18n/fill";
import type { TaskKind } from "@/lib/domain/enums";

type Messages = Record<MessageKey, string>;
type Result = { ok: true } | { ok: false; message: string; fieldErrors?: Record<string, string[]> };

const letter = (i: number) => String.fromCharCode(65 + i);

/** Runs an action, refreshes the page on success, keeps field errors on failure. */
function useAct() {
  const router = useRouter();
  const [pending, start] = useTransition();
  const [error, setError] = useState<ActError>(null);
  const [saved, setSaved] = useState(false);
  const run = (fn: () => Promise<Result>) =>
    start(async () => {
      const r = await fn();
      if (!r.ok) {
        setSaved(false);
        setError({ message: r.message, fields: r.fieldErrors ?? {} });
        return;
      }
      setError(null);
      setSaved(true);
      router.refresh();
    });
  return { pending, error, saved, run };
}

type ActError = { message: string; fields: Record<string, string[]> } | null;

/** The form-level outcome of an action: its error unless a field shows it, or "saved". */
function ActionOutcome({ error, saved, shownByField, m }: { error: ActError; saved: boolean; shownByField: boolean; m: Messages }) {
  if (error && !shownByField) {
    return (
      <p className="alert alert-error" role="alert">
        {error.message}
      </p>
    );
  }
  return saved && !error ? (
    <p role="status" className="muted">
      {m["review.saved"]}
    </p>
  ) : null;
}

function FieldError({ errors, name }: { errors: Record<string, string[]> | undefined; name: string }) {
  const list = errors?.[name];
  return list ? <span className="field-error">{list.join(" ")}</span> : null;
}

/** An answer in canonical A/B terms. */
export function canonicalAnswer(
  j: Pick<ReviewJudgment, "strength" | "ranks" | "bothUnacceptable">,
  scalePoints: number,
  m: Messages,
): string {
  if (j.bothUnacceptable) return m["annotate.bothUnacceptable"];
  if (j.ranks) {
    const order = j.ranks.map((rank, i) => ({ rank, i })).sort((a, b) => a.rank - b.rank || a.i - b.i);
    return order.map((o, k) => (k > 0 && o.rank === order[k - 1]!.rank ? "= " : k > 0 ? "> " : "") + letter(o.i)).join(" ");
  }
  if (j.strength !== null) return `${strengthLabel(j.strength, scalePoints as ScalePoints, m)} (${j.strength > 0 ? "+" : ""}${j.strength})`;
  return m["review.j.none"];
}

/** One judgment with its verdict controls. */
export function JudgmentCard({
  judgment: j,
  scalePoints,
  messages: m,
}: {
  judgment: ReviewJudgment;
  scalePoints: number;
  messages: Messages;
}) {
  const { pending, error, saved, run } = useAct();
  const [note, setNote] = useState("");
  const noteId = `note-${j.id}`;
  const title = fill(m["review.j.title"], { id: j.id, annotator: j.annotatorEmail });
  return (
    <article className="panel stack" aria-label={title} style={{ minWidth: 260, flex: "1 1 280px" }}>
      <h3 style={{ margin: 0 }}>{title}</h3>
      <dl className="stack" style={{ margin: 0 }}>
        <div>
          <dt>{m["review.j.state"]}</dt>
          <dd>
            <span className={`badge ${j.state === "valid" ? "badge-active" : "badge-inactive"}`}>{m[`review.state.${j.state}`]}</span>
            {j.excluded && <span className="muted"> · {m["review.j.excluded"]}</span>}
          </dd>
        </div>
        <div>
          <dt>{m["review.j.answer"]}</dt>
          <dd>{canonicalAnswer(j, scalePoints, m)}</dd>
        </div>
        <div>
          <dt>{m["review.j.ratings"]}</dt>
          <dd>
            {Object.keys(j.ratings).length === 0
              ? m["review.j.none"]
              : Object.entries(j.ratings).map(([c, dims]) => (
                  <div key={c}>
                    {letter(Number(c))}:{" "}
                    {Object.entries(dims)
                      .map(([d, v]) => `${d} ${v}`)
                      .join(", ")}
                  </div>
                ))}
          </dd>
        </div>
        <div>
          <dt>{m["review.j.flags"]}</dt>
          <dd>
            {Object.keys(j.unsafe).length === 0
              ? m["review.j.none"]
              : Object.entries(j.unsafe)
                  .map(([c, cat]) => `${letter(Number(c))}: ${m[`annotate.unsafe.${cat}` as MessageKey] ?? cat}`)
                  .join("; ")}
          </dd>
        </div>
        <div>
          <dt>{m["review.j.rationale"]}</dt>
          <dd style={{ whiteSpace: "pre-wrap" }}>{j.rationale || m["review.j.none"]}</dd>
        </div>
        <div>
          <dt>{m["review.j.seconds"]}</dt>
          <dd>{j.seconds === null ? m["review.j.none"] : `${j.seconds.toFixed(1)} s`}</dd>
        </div>
        <div>
          <dt>{m["review.j.display"]}</dt>
          <dd>{j.displayOrder.map(letter).join(" → ")}</dd>
        </div>
        {j.verdict && (
          <div>
            <dt>{m["review.j.verdict"]}</dt>
            <dd>
              {fill(m[`review.verdict.${j.verdict.verdict}`], { who: j.verdict.reviewerEmail ?? "?" })}
              {j.verdict.note ? `: ${j.verdict.note}` : ""}
            </dd>
          </div>
        )}
      </dl>
      {j.state !== "superseded" && (
        <form className="stack" onSubmit={(e) => e.preventDefault()}>
          <div className="field">
            <label htmlFor={noteId}>{m["review.note"]}</label>
            <textarea
              id={noteId}
              rows={2}
              value={note}
              onChange={(e) => setNote(e.target.value)}
              aria-invalid={Boolean(error?.fields.note)}
            />
            <FieldError errors={error?.fields} name="note" />
          </div>
          <div className="table-toolbar">
            {j.state === "valid" ? (
              <>
                <button
                  type="button"
                  className="btn btn-small"
                  disabled={pending}
                  onClick={() => run(() => acceptJudgmentAction({ judgmentId: j.id, note }))}
                >
                  {m["review.accept"]}
                </button>
                <button
                  type="button"
                  className="btn btn-small btn-danger"
                  disabled={pending}
                  onClick={() => run(() => rejectJudgmentAction({ judgmentId: j.id, note }))}
                >
                  {m["review.reject"]}
                </button>
              </>
            ) : (
              <button
                type="button"
                className="btn btn-small"
                disabled={pending}
                onClick={() => run(() => restoreJudgmentAction({ judgmentId: j.id, note }))}
              >
                {m["review.restore"]}
              </button>
            )}
          </div>
          <ActionOutcome error={error} saved={saved} shownByField={Boolean(error?.fields.note)} m={m} />
        </form>
      )}
    </article>
  );
}

/** Sets the task's final label: a preference on the scale, a ranking, or both unacceptable. */
export function AdjudicationForm({
  taskId,
  kind,
  scale,
  scalePoints,
  candidates,
  messages: m,
}: {
  taskId: number;
  kind: TaskKind;
  scale: number[];
  scalePoints: number;
  candidates: number;
  messages: Messages;
}) {
  const { pending, error, saved, run } = useAct();
  const [mode, setMode] = useState<"strength" | "ranks" | "both">(kind === "pairwise" ? "strength" : "ranks");
  const [strength, setStrength] = useState(String(scale[0] ?? -1));
  const [ranks, setRanks] = useState(Array.from({ length: candidates }, (_, i) => i + 1).join(", "));
  const [note, setNote] = useState("");
  return (
    <form
      className="stack"
      aria-label={m["review.adjudicate"]}
      onSubmit={(e) => {
        e.preventDefault();
        run(() =>
          adjudicateTaskAction({
            taskId,
            note,
            ...(mode === "both"
              ? { bothUnacceptable: true }
              : mode === "strength"
                ? { strength: Number(strength) }
                : {
                    ranks: ranks
                      .split(/[,\s]+/)
                      .filter(Boolean)
                      .map(Number),
                  }),
          }),
        );
      }}
    >
      <div className="field">
        <label htmlFor="adj-kind">{m["review.adjudicate.kind"]}</label>
        <select id="adj-kind" value={mode} onChange={(e) => setMode(e.target.value as typeof mode)}>
          {kind === "pairwise" ? (
            <option value="strength">{m["review.adjudicate.kind.strength"]}</option>
          ) : (
            <option value="ranks">{m["review.adjudicate.kind.ranks"]}</option>
          )}
          <option value="both">{m["review.adjudicate.kind.both"]}</option>
        </select>
        <FieldError errors={error?.fields} name="label" />
      </div>
      {mode === "strength" && (
        <div className="field">
          <label htmlFor="adj-strength">{m["review.adjudicate.strength"]}</label>
          <select
            id="adj-strength"
            value={strength}
            onChange={(e) => setStrength(e.target.value)}
            aria-invalid={Boolean(error?.fields.strength)}
          >
            {scale.map((s) => (
              <option key={s} value={s}>
                {strengthLabel(s, scalePoints as ScalePoints, m)} ({s > 0 ? "+" : ""}
                {s})
              </option>
            ))}
          </select>
          <FieldError errors={error?.fields} name="strength" />
        </div>
      )}
      {mode === "ranks" && (
        <div className="field">
          <label htmlFor="adj-ranks">{m["review.adjudicate.ranks"]}</label>
          <input id="adj-ranks" value={ranks} onChange={(e) => setRanks(e.target.value)} aria-invalid={Boolean(error?.fields.ranks)} />
          <FieldError errors={error?.fields} name="ranks" />
        </div>
      )}
      <div className="field">
        <label htmlFor="adj-note">{m["review.note"]}</label>
        <textarea id="adj-note" rows={2} value={note} onChange={(e) => setNote(e.target.value)} />
        <FieldError errors={error?.fields} name="note" />
      </div>
      <button className="btn btn-primary" type="submit" disabled={pending}>
        {m["review.adjudicate.submit"]}
      </button>
      <ActionOutcome error={error} saved={saved} shownByField={Object.keys(error?.fields ?? {}).length > 0} m={m} />
    </form>
  );
}

/** Marks the task as gold (answer + accepted answers) or retires its gold. */
export function GoldForm({
  taskId,
  scale,
  scalePoints,
  gold,
  retired,
  messages: m,
}: {
  taskId: number;
  scale: number[];
  scalePoints: number;
  gold: { strength?: number; accept?: number[] } | null;
  retired: boolean;
  messages: Messages;
}) {
  const { pending, error, saved, run } = useAct();
  const [strength, setStrength] = useState(String(gold?.strength ?? scale[0] ?? -1));
  const [accept, setAccept] = useState<number[]>(gold?.accept ?? (gold?.strength !== undefined ? [gold.strength] : []));
  const label = (s: number) => `${strengthLabel(s, scalePoints as ScalePoints, m)} (${s > 0 ? "+" : ""}${s})`;
  return (
    <form
      className="stack"
      aria-label={m["review.gold"]}
      onSubmit={(e) => {
        e.preventDefault();
        run(() => setTaskGoldAction({ taskId, strength: Number(strength), accept }));
      }}
    >
      {gold && (
        <p>
          {fill(m["review.gold.current"], {
            answer: gold.strength !== undefined ? label(gold.strength) : m["review.j.none"],
            accept: (gold.accept ?? []).map((s) => (s > 0 ? `+${s}` : String(s))).join(", "),
          })}
          {retired && <strong> {m["review.gold.retiredNote"]}</strong>}
        </p>
      )}
      <div className="field">
        <label htmlFor="gold-strength">{m["review.gold.answer"]}</label>
        <select
          id="gold-strength"
          value={strength}
          onChange={(e) => setStrength(e.target.value)}
          aria-invalid={Boolean(error?.fields.strength)}
        >
          {scale.map((s) => (
            <option key={s} value={s}>
              {label(s)}
            </option>
          ))}
        </select>
        <FieldError errors={error?.fields} name="strength" />
      </div>
      <fieldset className="field">
        <legend>{m["review.gold.accept"]}</legend>
        {scale.map((s) => (
          <label key={s} style={{ marginRight: 8 }}>
            <input
              type="checkbox"
              checked={accept.includes(s)}
              onChange={(e) => setAccept((prev) => (e.target.checked ? [...prev, s] : prev.filter((x) => x !== s)))}
            />{" "}
            {label(s)}
          </label>
        ))}
        <FieldError errors={error?.fields} name="accept" />
      </fieldset>
      <div className="table-toolbar">
        <button className="btn btn-primary" type="submit" disabled={pending}>
          {gold ? m["review.gold.update"] : m["review.gold.submit"]}
        </button>
        {gold && !retired && (
          <button type="button" className="btn btn-danger" disabled={pending} onClick={() => run(() => retireGoldAction({ taskId }))}>
            {m["review.gold.retire"]}
          </button>
        )}
      </div>
      <ActionOutcome error={error} saved={saved} shownByField={Object.keys(error?.fields ?? {}).length > 0} m={m} />
    </form>
  );
}
