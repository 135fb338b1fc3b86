"use client";

import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { CharacterCard } from "@/components/content/character-card";
import { Dialogue } from "@/components/content/dialogue";
import { ModelText } from "@/components/content/model-text";
import type { ActionResult } from "@/lib/actions";
import { rationaleRequired as answerNeedsRationale } from "@/lib/domain/answer";
import { dimensionName, dimensionRubric } from "@/lib/domain/dimensions";
import { scaleValues, UNSAFE_CATEGORIES, type ScalePoints } from "@/lib/domain/preference";
import { strengthLabel } from "./answer-label";
import type { Locale, MessageKey } from "@/lib/i18n";
import { fill } from "@/lib/i18n/fill";
import type { JudgmentView, LeasePayload } from "@/lib/services/annotation-views";
import { SKIP_REASONS } from "@/lib/validation/skip-reasons";

type Messages = Record<MessageKey, string>;
export type TaskView = Pick<LeasePayload, "task" | "item" | "candidates"> & { project: Pick<LeasePayload["project"], "settings"> };
export type Answer = Record<string, unknown>;

const letter = (slot: number) => String.fromCharCode(65 + slot);

/** Visible-tab milliseconds since mount: the clock stops while the tab is hidden. */
function useVisibleTime() {
  const total = useRef(0);
  const since = useRef<number | null>(null);
  useEffect(() => {
    since.current = document.visibilityState === "visible" ? performance.now() : null;
    const onChange = () => {
      if (document.visibilityState === "visible") since.current = performance.now();
      else if (since.current !== null) {
        total.current += performance.now() - since.current;
        since.current = null;
      }
    };
    document.addEventListener("visibilitychange", onChange);
    return () => document.removeEventListener("visibilitychange", onChange);
  }, []);
  return useCallback(() => (total.current + (since.current !== null ? performance.now() - since.current : 0)) / 1000, []);
}

function isTyping(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  return Boolean(el && (el.tagName === "TEXTAREA" || el.tagName === "INPUT" || el.tagName === "SELECT" || el.isContentEditable));
}

/**
 * One task: the character card, the dialogue, the replies as shown, and the answer
 * controls (scale or ranking, both unacceptable, ratings, safety flags, rationale), fully
 * usable by keyboard. Everything speaks of the replies as shown (slot 0 = A = left).
 */
export function TaskForm({
  view,
  initial,
  messages: m,
  locale,
  submitLabel,
  onSubmit,
  onSkip,
}: {
  view: TaskView;
  initial?: JudgmentView["answer"];
  messages: Messages;
  locale: Locale;
  submitLabel: string;
  onSubmit: (answer: Answer) => Promise<ActionResult<unknown>>;
  onSkip?: (reason: string, note: string) => Promise<void>;
}) {
  const { task, item, candidates } = view;
  const settings = view.project.settings;
  const points = task.scalePoints as ScalePoints;
  const values = useMemo(() => scaleValues(points), [points]);
  const slots = candidates.map((c) => c.slot);
  const ranking = task.kind === "ranking";

  const [strength, setStrength] = useState<number | null>(initial?.strength ?? null);
  const [both, setBoth] = useState(Boolean(initial?.both_unacceptable));
  const [order, setOrder] = useState<number[]>(() => {
    if (initial?.ranking) return [...slots].sort((a, b) => initial.ranking![a]! - initial.ranking![b]! || a - b);
    return slots;
  });
  const [tied, setTied] = useState<boolean[]>(() => {
    if (!initial?.ranking) return slots.map(() => false);
    const sorted = [...slots].sort((a, b) => initial.ranking![a]! - initial.ranking![b]! || a - b);
    return sorted.map((s, i) => i > 0 && initial.ranking![s] === initial.ranking![sorted[i - 1]!]);
  });
  const [ratings, setRatings] = useState<Record<string, Record<string, number>>>(initial?.ratings ?? {});
  const [unsafe, setUnsafe] = useState<Record<string, string>>(initial?.unsafe ?? {});
  const [rationale, setRationale] = useState(initial?.rationale ?? "");
  const [errors, setErrors] = useState<Record<string, string[]>>({});
  const [message, setMessage] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const [showHelp, setShowHelp] = useState(false);
  const [skipping, setSkipping] = useState(false);
  const elapsed = useVisibleTime();
  const rowRefs = useRef<(HTMLLIElement | null)[]>([]);
  const scaleRefs = useRef<(HTMLButtonElement | null)[]>([]);

  // The server's rule (lib/domain/answer.ts), applied to the answer as it stands.
  const rationaleRequired = answerNeedsRationale(
    both ? { bothUnacceptable: true } : ranking ? { ranking: ranksBySlot() } : { strength: strength ?? undefined },
    { kind: task.kind, scalePoints: points, candidateCount: candidates.length },
    settings,
  );

  function ranksBySlot(): number[] {
    const ranks: number[] = [];
    order.forEach((slot, i) => {
      ranks[slot] = i > 0 && tied[i] && settings.allowRankingTies ? ranks[order[i - 1]!]! : i + 1;
    });
    return ranks;
  }

  function buildAnswer(): Answer | null {
    const answer: Answer = {};
    if (both) answer.both_unacceptable = true;
    else if (ranking) answer.ranking = ranksBySlot();
    else if (strength !== null) answer.strength = strength;
    else return null;
    const cleanRatings = Object.fromEntries(Object.entries(ratings).filter(([, dims]) => Object.keys(dims).length > 0));
    if (Object.keys(cleanRatings).length) answer.ratings = cleanRatings;
    if (Object.keys(unsafe).length) answer.unsafe = unsafe;
    if (settings.rationale !== "off" && rationale.trim()) answer.rationale = rationale;
    answer.seconds = Math.round(elapsed() * 10) / 10;
    return answer;
  }

  async function submit() {
    if (pending) return;
    const answer = buildAnswer();
    if (!answer) {
      setErrors({ strength: [m["annotate.chooseFirst"]] });
      setMessage(m["annotate.chooseFirst"]);
      return;
    }
    setPending(true);
    const result = await onSubmit(answer);
    setPending(false);
    if (!result.ok) {
      setErrors(result.fieldErrors ?? {});
      setMessage(result.message);
    }
  }

  function moveRow(index: number, delta: number) {
    const target = index + delta;
    if (target < 0 || target >= order.length) return;
    const next = [...order];
    [next[index], next[target]] = [next[target]!, next[index]!];
    setOrder(next);
    requestAnimationFrame(() => rowRefs.current[target]?.focus());
  }

  // Keyboard: digits choose, Enter submits, S skips, ? toggles help.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (skipping || e.ctrlKey || e.metaKey) return;
      if (isTyping(e.target)) return;
      if (e.key === "?") {
        e.preventDefault();
        setShowHelp((v) => !v);
        return;
      }
      if ((e.key === "s" || e.key === "S") && onSkip && !e.altKey) {
        e.preventDefault();
        setSkipping(true);
        return;
      }
      // Enter submits, except on other buttons and links, which it activates as usual
      // (a focused scale point is part of the answer, so Enter there submits too).
      const onScale = e.target instanceof HTMLElement && e.target.closest(".scale") !== null;
      if (e.key === "Enter" && (onScale || (!(e.target instanceof HTMLButtonElement) && !(e.target instanceof HTMLAnchorElement)))) {
        e.preventDefault();
        void submit();
        return;
      }
      if (e.altKey) return;
      if (/^[0-9]$/.test(e.key)) {
        const n = Number(e.key);
        if (n === 0) {
          if (settings.allowBothUnacceptable) {
            setBoth(true);
            setStrength(null);
          }
          e.preventDefault();
          return;
        }
        if (ranking) {
          if (n <= order.length) {
            e.preventDefault();
            rowRefs.current[n - 1]?.focus();
          }
        } else if (n <= values.length) {
          e.preventDefault();
          setStrength(values[n - 1]!);
          setBoth(false);
          scaleRefs.current[n - 1]?.focus();
        }
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  });

  const fieldError = (key: string) => {
    const list = Object.entries(errors)
      .filter(([k]) => k === key || k.startsWith(`${key}.`))
      .flatMap(([, v]) => v);
    return list.length ? (
      <span className="field-error" id={`err-${key}`} role="alert">
        {list.join(" ")}
      </span>
    ) : null;
  };

  const nameOf = (key: string) => dimensionName(key, locale);
  const rubricOf = (key: string) => dimensionRubric(key, locale);

  return (
    <div className="stack task">
      <CharacterCard name={item.character.name} profile={item.character.profile} label={m["annotate.character"]} open={false} />
      <section className="panel">
        <Dialogue
          messages={item.context}
          characterName={item.character.name}
          userLabel={m["annotate.user"]}
          scene={item.scene}
          sceneLabel={m["annotate.scene"]}
          markdown={settings.markdown}
          label={m["annotate.dialogue"]}
        />
      </section>

      <section aria-label={m["annotate.replies"]} className="candidates">
        {candidates.map((c) => (
          <article key={c.slot} className="panel candidate" aria-label={fill(m["annotate.reply"], { letter: letter(c.slot) })}>
            <h2 style={{ margin: 0 }}>{fill(m["annotate.reply"], { letter: letter(c.slot) })}</h2>
            <ModelText text={c.content} markdown={settings.markdown} />
            {settings.dimensions.length > 0 && (
              <fieldset className="ratings">
                <legend>{fill(m["annotate.ratings"], { letter: letter(c.slot) })}</legend>
                {settings.dimensions.map((dim) => (
                  <div key={dim} className="rating-row" role="radiogroup" aria-label={`${nameOf(dim)} (${letter(c.slot)})`} title={rubricOf(dim)}>
                    <span className="rating-name" title={rubricOf(dim)}>
                      {nameOf(dim)}
                    </span>
                    {[1, 2, 3, 4, 5].map((v) => {
                      const checked = ratings[String(c.slot)]?.[dim] === v;
                      return (
                        <label key={v} className="rating-option" title={rubricOf(dim)}>
                          <input
                            type="radio"
                            name={`rating-${c.slot}-${dim}`}
                            checked={checked}
                            aria-label={fill(m["annotate.rating"], { dimension: `${nameOf(dim)} (${letter(c.slot)})`, value: v })}
                            onChange={() => setRatings((r) => ({ ...r, [String(c.slot)]: { ...r[String(c.slot)], [dim]: v } }))}
                          />
                          {v}
                        </label>
                      );
                    })}
                  </div>
                ))}
                {fieldError(`ratings.${c.slot}`)}
              </fieldset>
            )}
            {settings.safetyFlags && (
              <div className="toolbar unsafe">
                <label style={{ display: "flex", gap: "0.35rem" }}>
                  <input
                    type="checkbox"
                    checked={unsafe[String(c.slot)] !== undefined}
                    onChange={(e) =>
                      setUnsafe((u) => {
                        const next = { ...u };
                        if (e.target.checked) next[String(c.slot)] = "other";
                        else delete next[String(c.slot)];
                        return next;
                      })
                    }
                  />
                  {fill(m["annotate.unsafe"], { letter: letter(c.slot) })}
                </label>
                {unsafe[String(c.slot)] !== undefined && (
                  <select
                    aria-label={fill(m["annotate.unsafeCategory"], { letter: letter(c.slot) })}
                    value={unsafe[String(c.slot)]}
                    onChange={(e) => setUnsafe((u) => ({ ...u, [String(c.slot)]: e.target.value }))}
                  >
                    {UNSAFE_CATEGORIES.map((cat) => (
                      <option key={cat} value={cat}>
                        {m[`annotate.unsafe.${cat}`]}
                      </option>
                    ))}
                  </select>
                )}
                {fieldError(`unsafe.${c.slot}`)}
              </div>
            )}
          </article>
        ))}
      </section>

      <section className="panel stack answer" aria-label={ranking ? m["annotate.ranking"] : m["annotate.preference"]}>
        {ranking ? (
          <div className="stack" style={{ gap: "0.5rem" }}>
            <h2 style={{ margin: 0 }}>{m["annotate.ranking"]}</h2>
            <p className="muted" style={{ margin: 0 }}>
              {m["annotate.rankingHelp"]}
            </p>
            <ol className="ranking" aria-label={m["annotate.ranking"]}>
              {order.map((slot, i) => (
                <li
                  key={slot}
                  ref={(el) => {
                    rowRefs.current[i] = el;
                  }}
                  // biome-ignore lint/a11y/noNoninteractiveTabindex: a rank row is moved with the keyboard (arrow keys), so it takes focus
                  tabIndex={0}
                  draggable
                  aria-label={`${fill(m["annotate.rank"], { n: i + 1 })}: ${fill(m["annotate.reply"], { letter: letter(slot) })}`}
                  onDragStart={(e) => e.dataTransfer.setData("text/plain", String(i))}
                  onDragOver={(e) => e.preventDefault()}
                  onDrop={(e) => {
                    e.preventDefault();
                    const from = Number(e.dataTransfer.getData("text/plain"));
                    if (Number.isNaN(from) || from === i) return;
                    const next = [...order];
                    const [moved] = next.splice(from, 1);
                    next.splice(i, 0, moved!);
                    setOrder(next);
                  }}
                  onKeyDown={(e) => {
                    if (e.altKey && e.key === "ArrowUp") {
                      e.preventDefault();
                      moveRow(i, -1);
                    } else if (e.altKey && e.key === "ArrowDown") {
                      e.preventDefault();
                      moveRow(i, 1);
                    }
                  }}
                >
                  <span className="rank-number">{i + 1}</span>
                  <strong>{fill(m["annotate.reply"], { letter: letter(slot) })}</strong>
                  <span className="rank-preview">{candidates.find((c) => c.slot === slot)?.content.slice(0, 80)}</span>
                  <span className="toolbar" style={{ marginLeft: "auto" }}>
                    {settings.allowRankingTies && i > 0 && (
                      <label style={{ fontWeight: 400 }}>
                        <input type="checkbox" checked={tied[i] ?? false} onChange={(e) => setTied((t) => t.map((v, j) => (j === i ? e.target.checked : v)))} />{" "}
                        {m["annotate.tiedWithAbove"]}
                      </label>
                    )}
                    <button type="button" className="btn btn-small" disabled={i === 0} aria-label={fill(m["annotate.moveUp"], { letter: letter(slot) })} onClick={() => moveRow(i, -1)}>
                      ↑
                    </button>
                    <button
                      type="button"
                      className="btn btn-small"
                      disabled={i === order.length - 1}
                      aria-label={fill(m["annotate.moveDown"], { letter: letter(slot) })}
                      onClick={() => moveRow(i, 1)}
                    >
                      ↓
                    </button>
                  </span>
                </li>
              ))}
            </ol>
            {fieldError("ranking")}
          </div>
        ) : (
          <div className="stack" style={{ gap: "0.5rem" }}>
            <h2 style={{ margin: 0 }} id="scale-h">
              {m["annotate.preference"]}
            </h2>
            <div className="scale" role="radiogroup" aria-labelledby="scale-h">
              {values.map((v, i) => (
                // biome-ignore lint/a11y/useSemanticElements: a scale of buttons with shortcut keys, exposed as one radio group
                <button
                  key={v}
                  ref={(el) => {
                    scaleRefs.current[i] = el;
                  }}
                  type="button"
                  role="radio"
                  aria-checked={!both && strength === v}
                  aria-keyshortcuts={String(i + 1)}
                  className={`scale-point${!both && strength === v ? " selected" : ""}`}
                  onClick={() => {
                    setStrength(v);
                    setBoth(false);
                  }}
                >
                  <span className="scale-key">{i + 1}</span>
                  {strengthLabel(v, points, m)}
                </button>
              ))}
            </div>
            {fieldError("strength")}
          </div>
        )}
        {settings.allowBothUnacceptable && (
          <label className="both-unacceptable">
            <input
              type="checkbox"
              checked={both}
              aria-keyshortcuts="0"
              onChange={(e) => {
                setBoth(e.target.checked);
                if (e.target.checked) setStrength(null);
              }}
            />
            {m["annotate.bothUnacceptable"]} <span className="scale-key">0</span>
          </label>
        )}
        {fieldError("both_unacceptable")}
        {settings.rationale !== "off" && (
          <div className="field">
            <label htmlFor="rationale">{rationaleRequired ? m["annotate.rationaleRequired"] : m["annotate.rationale"]}</label>
            <textarea
              id="rationale"
              rows={3}
              value={rationale}
              required={rationaleRequired}
              aria-invalid={Boolean(errors.rationale)}
              aria-describedby={errors.rationale ? "err-rationale" : undefined}
              onChange={(e) => setRationale(e.target.value)}
            />
            {fieldError("rationale")}
          </div>
        )}
        {message && (
          <p className="alert alert-error" role="alert">
            {message}
          </p>
        )}
        <div className="toolbar">
          <button className="btn btn-primary btn-large" type="button" disabled={pending} onClick={() => void submit()} aria-keyshortcuts="Enter">
            {pending ? m["annotate.submitting"] : submitLabel}
          </button>
          {onSkip && (
            <button className="btn" type="button" onClick={() => setSkipping(true)} aria-keyshortcuts="S">
              {m["annotate.skip"]}
            </button>
          )}
          <button className="btn btn-small" type="button" aria-expanded={showHelp} onClick={() => setShowHelp((v) => !v)} aria-keyshortcuts="?">
            {m["annotate.shortcuts"]} (?)
          </button>
        </div>
        {showHelp && (
          <p className="muted" role="note">
            {ranking ? fill(m["annotate.rankingShortcuts"], { n: order.length }) : fill(m["annotate.shortcutsHelp"], { n: values.length })}
          </p>
        )}
      </section>
      {skipping && onSkip && <SkipDialog messages={m} onCancel={() => setSkipping(false)} onSkip={onSkip} />}
    </div>
  );
}

function SkipDialog({ messages: m, onCancel, onSkip }: { messages: Messages; onCancel: () => void; onSkip: (reason: string, note: string) => Promise<void> }) {
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
