"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { acceptJudgmentAction, adjudicateTaskAction, rejectJudgmentAction, restoreJudgmentAction } from "@/app/(lead)/review/actions";
import { retireGoldAction, setTaskGoldAction } from "@/app/(lead)/gold/actions";
import { strengthLabel } from "@/components/annotate/answer-label";
import { Alert } from "@/components/ui/alert";
import { Field, FieldError, Select } from "@/components/ui/form";
import type { ReviewJudgment } from "@/db/queries/review";
import type { ScalePoints } from "@/lib/domain/preference";
import type { MessageKey, Messages } from "@/lib/i18n";
import { fill } from "@/lib/i18n/fill";
import type { TaskKind } from "@/lib/domain/enums";
import { StateBadge } from "@/components/ui/badge";
import { Terms } from "@/components/ui/terms";

type Result = { ok: true } | { ok: false; message: string; fieldErrors?: Record<string, string[]> };

const letter = (i: number) => String.fromCharCode(65 + i);

/** Runs an action (on a click, or as a form's submit), refreshes the page on success, keeps field errors on failure. */
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
  const submit = (fn: () => Promise<Result>) => (e: React.FormEvent) => {
    e.preventDefault();
    run(fn);
  };
  return { pending, error, saved, run, submit };
}

type ActError = { message: string; fields: Record<string, string[]> } | null;

/** The form-level outcome of an action: its error unless a field shows it, or "saved". */
function ActionOutcome({ error, saved, shownByField, m }: { error: ActError; saved: boolean; shownByField: boolean; m: Messages }) {
  if (error && !shownByField) {
    return <Alert>{error.message}</Alert>;
  }
  return saved && !error ? (
    <p role="status" className="muted">
      {m["review.saved"]}
    </p>
  ) : null;
}

/**
 * A point of the project's scale chosen in a select labelled as the annotators see it:
 * the chosen point, and the field that chooses it (given its id, label and errors).
 */
function useScalePoint(initial: number, scale: number[], scalePoints: number, m: Messages) {
  const [point, setPoint] = useState(initial);
  const field = (id: string, label: string, errors: string[] | undefined) => (
    <Field id={id} label={label} errors={errors}>
      {(control) => (
        <Select {...control} value={point} onChange={setPoint} options={scale.map((s) => [s, scaleLabel(s, scalePoints, m)] as const)} />
      )}
    </Field>
  );
  return [point, field] as const;
}

/** A scale point as reviewers read it: its label and its signed number. */
const scaleLabel = (s: number, scalePoints: number, m: Messages) =>
  `${strengthLabel(s, scalePoints as ScalePoints, m)} (${s > 0 ? "+" : ""}${s})`;

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
  if (j.strength !== null) return scaleLabel(j.strength, scalePoints, m);
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
  const verdict = (label: string, action: (input: { judgmentId: number; note: string }) => Promise<Result>, tone = "") => (
    <button
      type="button"
      className={`btn btn-small ${tone}`.trim()}
      disabled={pending}
      onClick={() => run(() => action({ judgmentId: j.id, note }))}
    >
      {label}
    </button>
  );
  return (
    <article className="panel stack" aria-label={title} style={{ minWidth: 260, flex: "1 1 280px" }}>
      <h3 style={{ margin: 0 }}>{title}</h3>
      <Terms
        className="stack"
        style={{ margin: 0 }}
        items={[
          {
            term: m["review.j.state"],
            value: (
              <>
                <StateBadge active={j.state === "valid"}>{m[`review.state.${j.state}`]}</StateBadge>
                {j.excluded && <span className="muted"> · {m["review.j.excluded"]}</span>}
              </>
            ),
          },
          { term: m["review.j.answer"], value: canonicalAnswer(j, scalePoints, m) },
          {
            term: m["review.j.ratings"],
            value:
              Object.keys(j.ratings).length === 0
                ? m["review.j.none"]
                : Object.entries(j.ratings).map(([c, dims]) => (
                    <div key={c}>
                      {letter(Number(c))}:{" "}
                      {Object.entries(dims)
                        .map(([d, v]) => `${d} ${v}`)
                        .join(", ")}
                    </div>
                  )),
          },
          {
            term: m["review.j.flags"],
            value:
              Object.keys(j.unsafe).length === 0
                ? m["review.j.none"]
                : Object.entries(j.unsafe)
                    .map(([c, cat]) => `${letter(Number(c))}: ${m[`annotate.unsafe.${cat}` as MessageKey] ?? cat}`)
                    .join("; "),
          },
          { term: m["review.j.rationale"], value: j.rationale || m["review.j.none"], valueStyle: { whiteSpace: "pre-wrap" } },
          { term: m["review.j.seconds"], value: j.seconds === null ? m["review.j.none"] : `${j.seconds.toFixed(1)} s` },
          { term: m["review.j.display"], value: j.displayOrder.map(letter).join(" → ") },
          j.verdict && {
            term: m["review.j.verdict"],
            value: (
              <>
                {fill(m[`review.verdict.${j.verdict.verdict}`], { who: j.verdict.reviewerEmail ?? "?" })}
                {j.verdict.note ? `: ${j.verdict.note}` : ""}
              </>
            ),
          },
        ]}
      />
      {j.state !== "superseded" && (
        <form className="stack" onSubmit={(e) => e.preventDefault()}>
          <Field id={noteId} label={m["review.note"]} errors={error?.fields.note}>
            {(control) => <textarea {...control} rows={2} value={note} onChange={(e) => setNote(e.target.value)} />}
          </Field>
          <div className="table-toolbar">
            {j.state === "valid" ? (
              <>
                {verdict(m["review.accept"], acceptJudgmentAction)}
                {verdict(m["review.reject"], rejectJudgmentAction, "btn-danger")}
              </>
            ) : (
              verdict(m["review.restore"], restoreJudgmentAction)
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
  const { pending, error, saved, submit } = useAct();
  const [mode, setMode] = useState<"strength" | "ranks" | "both">(kind === "pairwise" ? "strength" : "ranks");
  const [strength, strengthField] = useScalePoint(scale[0] ?? -1, scale, scalePoints, m);
  const [ranks, setRanks] = useState(Array.from({ length: candidates }, (_, i) => i + 1).join(", "));
  const [note, setNote] = useState("");
  return (
    <form
      className="stack"
      aria-label={m["review.adjudicate"]}
      onSubmit={submit(() =>
        adjudicateTaskAction({
          taskId,
          note,
          ...(mode === "both"
            ? { bothUnacceptable: true }
            : mode === "strength"
              ? { strength }
              : {
                  ranks: ranks
                    .split(/[,\s]+/)
                    .filter(Boolean)
                    .map(Number),
                }),
        }),
      )}
    >
      <Field id="adj-kind" label={m["review.adjudicate.kind"]} errors={error?.fields.label}>
        {(control) => (
          <select {...control} value={mode} onChange={(e) => setMode(e.target.value as typeof mode)}>
            {kind === "pairwise" ? (
              <option value="strength">{m["review.adjudicate.kind.strength"]}</option>
            ) : (
              <option value="ranks">{m["review.adjudicate.kind.ranks"]}</option>
            )}
            <option value="both">{m["review.adjudicate.kind.both"]}</option>
          </select>
        )}
      </Field>
      {mode === "strength" && strengthField("adj-strength", m["review.adjudicate.strength"], error?.fields.strength)}
      {mode === "ranks" && (
        <Field id="adj-ranks" label={m["review.adjudicate.ranks"]} errors={error?.fields.ranks}>
          {(control) => <input {...control} value={ranks} onChange={(e) => setRanks(e.target.value)} />}
        </Field>
      )}
      <Field id="adj-note" label={m["review.note"]} errors={error?.fields.note}>
        {(control) => <textarea {...control} rows={2} value={note} onChange={(e) => setNote(e.target.value)} />}
      </Field>
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
  const { pending, error, saved, run, submit } = useAct();
  const [strength, strengthField] = useScalePoint(gold?.strength ?? scale[0] ?? -1, scale, scalePoints, m);
  const [accept, setAccept] = useState<number[]>(gold?.accept ?? (gold?.strength !== undefined ? [gold.strength] : []));
  const label = (s: number) => scaleLabel(s, scalePoints, m);
  return (
    <form className="stack" aria-label={m["review.gold"]} onSubmit={submit(() => setTaskGoldAction({ taskId, strength, accept }))}>
      {gold && (
        <p>
          {fill(m["review.gold.current"], {
            answer: gold.strength !== undefined ? label(gold.strength) : m["review.j.none"],
            accept: (gold.accept ?? []).map((s) => (s > 0 ? `+${s}` : String(s))).join(", "),
          })}
          {retired && <strong> {m["review.gold.retiredNote"]}</strong>}
        </p>
      )}
      {strengthField("gold-strength", m["review.gold.answer"], error?.fields.strength)}
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
        <FieldError errors={error?.fields.accept} />
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
