"use client";

import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { PreferenceScale } from "@/components/annotate/preference-scale";
import { CharacterCard } from "@/components/content/character-card";
import { ModelText } from "@/components/content/model-text";
import { scaleValues, UNSAFE_CATEGORIES, type ScalePoints } from "@/lib/domain/preference";
import type { MessageKey } from "@/lib/i18n";
import { fill } from "@/lib/i18n/fill";
import type { SessionView } from "@/lib/services/live";

type Messages = Record<MessageKey, string>;

/** What a slot shows while its reply streams in. */
type SlotState = { text: string; tokens: number; startedAt: number; seconds: number; done: boolean; error: string | null };

const emptySlot = (): SlotState => ({ text: "", tokens: 0, startedAt: Date.now(), seconds: 0, done: false, error: null });

async function api<T>(url: string, body?: unknown): Promise<T> {
  const res = await fetch(url, {
    method: body === undefined ? "GET" : "POST",
    headers: body === undefined ? {} : { "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
    cache: "no-store",
  });
  const data = (await res.json().catch(() => ({}))) as { error?: { message?: string } } & T;
  if (!res.ok) throw new Error(data.error?.message ?? `HTTP ${res.status}`);
  return data;
}

/**
 * One live session on one screen: the persona and scene at the side, the conversation of
 * the current branch (every earlier reply the conversation continued with can start a
 * branch), the open turn's replies streaming side by side under their blind labels, and
 * the judgment (scale for two replies, ranks for more), flags, rationale and the edit of
 * the winner. Everything is reachable by keyboard: Tab order follows the screen, the
 * scale keeps its 1…n keys, Ctrl+Enter sends or judges.
 */
export function LiveSession({ sessionId, messages: m, initial }: { sessionId: number; messages: Messages; initial: SessionView }) {
  const [view, setView] = useState<SessionView>(initial);
  const [slots, setSlots] = useState<Record<string, SlotState>>({});
  const [ready, setReady] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [text, setText] = useState("");
  const [branchFrom, setBranchFrom] = useState<number | null>(null);
  const [busy, setBusy] = useState(false);
  const [streamKey, setStreamKey] = useState(0);
  const streamRef = useRef<EventSource | null>(null);
  const messageBox = useRef<HTMLTextAreaElement>(null);

  const session = view.session;
  const openTurn = view.turns.find((t) => t.id === session.openTurnId) ?? null;
  const byId = useMemo(() => new Map(view.nodes.map((n) => [n.id, n])), [view.nodes]);

  const reload = useCallback(async () => {
    const next = await api<SessionView>(`/api/sessions/${sessionId}`);
    setView(next);
    return next;
  }, [sessionId]);

  // The open turn's stream: replays what is stored, generates what is missing; reopened after a regenerate or a retry.
  // biome-ignore lint/correctness/useExhaustiveDependencies: the stream is per open turn (its id), not per render of its object
  useEffect(() => {
    if (!openTurn || session.state !== "active") return;
    setReady(false);
    setSlots(Object.fromEntries(openTurn.slots.map((s) => [s.label, emptySlot()])));
    const source = new EventSource(`/api/sessions/${sessionId}/turns/${openTurn.id}/stream`);
    streamRef.current = source;
    const update = (label: string, f: (s: SlotState) => SlotState) =>
      setSlots((prev) => ({ ...prev, [label]: f(prev[label] ?? emptySlot()) }));
    source.addEventListener("candidate.delta", (e) => {
      const d = JSON.parse((e as MessageEvent).data) as { label: string; text: string };
      update(d.label, (s) => ({
        ...s,
        text: s.text + d.text,
        tokens: s.tokens + 1,
        seconds: (Date.now() - s.startedAt) / 1000,
        error: null,
      }));
    });
    source.addEventListener("candidate.done", (e) => {
      const d = JSON.parse((e as MessageEvent).data) as { label: string; completionTokens: number | null; seconds: number | null };
      update(d.label, (s) => ({
        ...s,
        done: true,
        tokens: d.completionTokens ?? s.tokens,
        seconds: d.seconds ?? (Date.now() - s.startedAt) / 1000,
      }));
    });
    source.addEventListener("candidate.error", (e) => {
      const d = JSON.parse((e as MessageEvent).data) as { label: string; message: string };
      update(d.label, (s) => ({ ...s, error: d.message }));
    });
    source.addEventListener("turn.ready", () => {
      setReady(true);
      source.close();
      void reload();
    });
    // The server ends the stream when every slot settled; EventSource would reconnect: stop it.
    source.onerror = () => source.close();
    return () => source.close();
  }, [openTurn?.id, streamKey, session.state]);

  // The conversation of the branch the next message follows.
  const head = branchFrom ?? session.headNodeId;
  const path = useMemo(() => {
    const out = [];
    for (let n = byId.get(openTurn ? openTurn.userNodeId : head); n; n = n.parentId === null ? undefined : byId.get(n.parentId))
      out.push(n);
    return out.reverse();
  }, [byId, head, openTurn]);

  const send = async () => {
    if (!text.trim() || busy) return;
    setBusy(true);
    setError(null);
    try {
      await api(`/api/sessions/${sessionId}/turns`, { text, ...(branchFrom !== null ? { parentNodeId: branchFrom } : {}) });
      setText("");
      setBranchFrom(null);
      await reload();
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };

  const regenerate = async (label: string) => {
    if (!openTurn) return;
    setError(null);
    // The turn cannot be judged until the new reply has arrived.
    setReady(false);
    setSlots((prev) => ({ ...prev, [label]: emptySlot() }));
    try {
      await api(`/api/sessions/${sessionId}/turns/${openTurn.id}/candidates/${label}/regenerate`, {});
      await reload();
      setStreamKey((k) => k + 1);
    } catch (e) {
      setError((e as Error).message);
    }
  };

  const budgetReached = session.turnsUsed >= session.turnBudget;
  const ended = session.state === "ended";

  return (
    <div className="live-screen">
      <aside className="live-side card" aria-label={m["live.persona"]}>
        <CharacterCard
          name={session.character.name}
          profile={session.character.profile as Record<string, unknown>}
          label={m["live.persona"]}
          headingLevel={2}
        />
        {session.scene ? (
          <section>
            <h3>{m["live.scene"]}</h3>
            <p className="model-text">{session.scene}</p>
          </section>
        ) : null}
        {session.userRole ? (
          <section>
            <h3>{m["live.userRole"]}</h3>
            <p>{session.userRole}</p>
          </section>
        ) : null}
        <p className="muted">{fill(m["live.budget"], { used: session.turnsUsed, budget: session.turnBudget })}</p>
        <EndSession sessionId={sessionId} ended={ended} messages={m} onEnded={() => void reload()} />
      </aside>

      <main className="live-main">
        <section className="live-conversation card" aria-label={m["live.conversation"]}>
          <ol className="live-messages">
            {path.map((n) => (
              <li key={n.id} className={`live-message ${n.role}`}>
                <div className="live-speaker">
                  {n.kind === "greeting"
                    ? fill(m["live.greeting"], { name: session.character.name })
                    : n.role === "user"
                      ? m["live.you"]
                      : session.character.name}
                </div>
                <ModelText text={n.text} />
                {!openTurn && !ended && n.role === "assistant" && n.id !== head ? (
                  <button
                    type="button"
                    className="btn btn-small"
                    onClick={() => {
                      setBranchFrom(n.id);
                      messageBox.current?.focus();
                    }}
                  >
                    {m["live.branchHere"]}
                  </button>
                ) : null}
              </li>
            ))}
          </ol>
          {!openTurn && !ended ? (
            <OtherBranches
              view={view}
              head={head}
              messages={m}
              onBranch={(id) => {
                setBranchFrom(id);
                messageBox.current?.focus();
              }}
            />
          ) : null}
        </section>

        {openTurn ? (
          <TurnJudgment
            key={openTurn.id}
            view={view}
            turn={openTurn}
            slots={slots}
            ready={ready}
            messages={m}
            onRegenerate={regenerate}
            onJudged={async () => {
              await reload();
              messageBox.current?.focus();
            }}
            onError={setError}
          />
        ) : ended ? (
          <p className="card">{m["live.ended"]}</p>
        ) : budgetReached ? (
          <p className="card">{m["live.budgetReached"]}</p>
        ) : (
          <section className="card live-compose">
            {branchFrom !== null ? (
              <p>
                {fill(m["live.branchFrom"], { text: (byId.get(branchFrom)?.text ?? "").slice(0, 80) })}{" "}
                <button type="button" className="btn btn-small" onClick={() => setBranchFrom(null)}>
                  {m["live.cancelBranch"]}
                </button>
              </p>
            ) : null}
            <label className="field">
              <span>{m["live.yourTurn"]}</span>
              <textarea
                ref={messageBox}
                rows={3}
                value={text}
                onChange={(e) => setText(e.target.value)}
                onKeyDown={(e) => {
                  if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) void send();
                }}
              />
            </label>
            <button
              type="button"
              className="btn btn-primary"
              disabled={busy || !text.trim()}
              onClick={() => void send()}
              aria-keyshortcuts="Control+Enter"
            >
              {busy ? m["live.sending"] : m["live.send"]}
            </button>
          </section>
        )}
        {error ? (
          <p className="field-error" role="alert">
            {fill(m["live.error"], { message: error })}
          </p>
        ) : null}
      </main>
    </div>
  );
}

/** Earlier continuations not on the current path, each a place to branch from. */
function OtherBranches({
  view,
  head,
  messages: m,
  onBranch,
}: {
  view: SessionView;
  head: number;
  messages: Messages;
  onBranch: (id: number) => void;
}) {
  const onPath = new Set<number>();
  const byId = new Map(view.nodes.map((n) => [n.id, n]));
  for (let n = byId.get(head); n; n = n.parentId === null ? undefined : byId.get(n.parentId)) onPath.add(n.id);
  const elsewhere = view.nodes.filter((n) => n.chosen && !onPath.has(n.id));
  if (elsewhere.length === 0) return null;
  return (
    <details className="live-tree">
      <summary>{m["live.tree"]}</summary>
      <ul>
        {elsewhere.map((n) => (
          <li key={n.id}>
            <span className="muted">{(n.text ?? "").slice(0, 80)}</span>{" "}
            <button type="button" className="btn btn-small" onClick={() => onBranch(n.id)}>
              {m["live.branchHere"]}
            </button>
          </li>
        ))}
      </ul>
    </details>
  );
}

/** The open turn: the replies side by side, then the judgment. */
function TurnJudgment({
  view,
  turn,
  slots,
  ready,
  messages: m,
  onRegenerate,
  onJudged,
  onError,
}: {
  view: SessionView;
  turn: SessionView["turns"][number];
  slots: Record<string, SlotState>;
  ready: boolean;
  messages: Messages;
  onRegenerate: (label: string) => Promise<void>;
  onJudged: () => Promise<void>;
  onError: (message: string | null) => void;
}) {
  const settings = view.settings;
  const k = turn.slots.length;
  const points = settings.scalePoints as ScalePoints;
  const values = useMemo(() => scaleValues(points), [points]);
  const [strength, setStrength] = useState<number | null>(null);
  const [ranks, setRanks] = useState<number[]>(() => turn.slots.map((_, i) => i + 1));
  const [bothUnacceptable, setBothUnacceptable] = useState(false);
  const [unsafe, setUnsafe] = useState<Record<string, string>>({});
  const [rationale, setRationale] = useState("");
  const [editing, setEditing] = useState(false);
  const [edited, setEdited] = useState("");
  const [saving, setSaving] = useState(false);
  const started = useRef(Date.now());

  const textOf = (label: string) => slots[label]?.text ?? "";
  const winner = (): string | null => {
    if (bothUnacceptable) return null;
    if (k === 2) return strength === null ? null : strength <= 0 ? "A" : "B";
    const best = Math.min(...ranks);
    return turn.slots[ranks.indexOf(best)]?.label ?? null;
  };
  const needsText = bothUnacceptable || editing;

  const submit = async () => {
    if (saving || !ready) return;
    setSaving(true);
    onError(null);
    const body: Record<string, unknown> = { seconds: Math.round((Date.now() - started.current) / 100) / 10 };
    if (bothUnacceptable) body.both_unacceptable = true;
    else if (k === 2) body.strength = strength;
    else body.ranking = ranks;
    if (Object.keys(unsafe).length > 0) body.unsafe = unsafe;
    if (rationale.trim()) body.rationale = rationale.trim();
    if (needsText && edited.trim()) body.editedText = edited;
    try {
      await api(`/api/sessions/${view.session.id}/turns/${turn.id}/judgment`, body);
      await onJudged();
    } catch (e) {
      onError((e as Error).message);
    } finally {
      setSaving(false);
    }
  };

  const canSubmit =
    ready &&
    !saving &&
    (bothUnacceptable ? edited.trim() !== "" : k === 2 ? strength !== null : true) &&
    (!editing || edited.trim() !== "");

  return (
    <section
      className="card live-turn"
      aria-label={m["live.candidates"]}
      onKeyDown={(e) => {
        if (e.key === "Enter" && (e.ctrlKey || e.metaKey) && canSubmit) void submit();
      }}
    >
      <div className="live-candidates" style={{ gridTemplateColumns: `repeat(${k}, minmax(0, 1fr))` }}>
        {turn.slots.map((slot) => {
          const s = slots[slot.label];
          return (
            <article key={slot.label} className="live-candidate" aria-label={fill(m["live.candidate"], { label: slot.label })}>
              <header>
                <h3>{fill(m["live.candidate"], { label: slot.label })}</h3>
                <span className="muted" aria-live="polite">
                  {s?.error
                    ? null
                    : s?.done
                      ? fill(m["live.done"], { tokens: s.tokens, seconds: s.seconds.toFixed(1) })
                      : s && s.tokens > 0
                        ? fill(m["live.streaming"], { tokens: s.tokens, seconds: s.seconds.toFixed(1) })
                        : m["live.waiting"]}
                </span>
              </header>
              <div className="live-candidate-text">
                <ModelText text={s?.text ?? ""} />
              </div>
              {s?.error ? (
                <p className="field-error" role="alert">
                  {fill(m["live.failed"], { message: s.error })}
                </p>
              ) : null}
              <footer>
                <button
                  type="button"
                  className="btn btn-small"
                  onClick={() => void onRegenerate(slot.label)}
                  disabled={!s?.done && !s?.error}
                >
                  {s?.error ? fill(m["live.retry"], { label: slot.label }) : fill(m["live.regenerate"], { label: slot.label })}
                </button>
                {settings.safetyFlags ? (
                  <label className="live-inline">
                    <select
                      aria-label={fill(m["live.unsafe"], { label: slot.label })}
                      value={unsafe[String(turn.slots.indexOf(slot))] ?? ""}
                      onChange={(e) => {
                        const key = String(turn.slots.indexOf(slot));
                        setUnsafe((prev) => {
                          const next = { ...prev };
                          if (e.target.value) next[key] = e.target.value;
                          else delete next[key];
                          return next;
                        });
                      }}
                    >
                      <option value="">{m["live.unsafeNone"]}</option>
                      {UNSAFE_CATEGORIES.map((c) => (
                        <option key={c} value={c}>
                          {m[`annotate.unsafe.${c}` as MessageKey] ?? c}
                        </option>
                      ))}
                    </select>
                  </label>
                ) : null}
                {k > 2 ? (
                  <label className="live-inline">
                    <span>{fill(m["live.rankOf"], { label: slot.label })}</span>
                    <select
                      value={ranks[turn.slots.indexOf(slot)]}
                      disabled={bothUnacceptable}
                      onChange={(e) => {
                        const j = turn.slots.indexOf(slot);
                        setRanks((prev) => prev.map((r, i) => (i === j ? Number(e.target.value) : r)));
                      }}
                    >
                      {turn.slots.map((_, i) => (
                        <option key={i} value={i + 1}>
                          {i + 1}
                        </option>
                      ))}
                    </select>
                  </label>
                ) : null}
              </footer>
            </article>
          );
        })}
      </div>

      <div className="live-decision">
        {k === 2 && !bothUnacceptable ? (
          <PreferenceScale values={values} points={points} selected={strength} onChoose={setStrength} messages={m} />
        ) : null}
        <div className="live-decision-row">
          {settings.allowBothUnacceptable ? (
            <label className="live-inline">
              <input type="checkbox" checked={bothUnacceptable} onChange={(e) => setBothUnacceptable(e.target.checked)} />
              <span>{m["live.bothUnacceptable"]}</span>
            </label>
          ) : null}
          {!bothUnacceptable ? (
            <label className="live-inline">
              <input
                type="checkbox"
                checked={editing}
                disabled={winner() === null}
                onChange={(e) => {
                  setEditing(e.target.checked);
                  const w = winner();
                  if (e.target.checked && w) setEdited(textOf(w));
                }}
              />
              <span>{m["live.editWinner"]}</span>
            </label>
          ) : null}
        </div>
        {needsText ? (
          <label className="field">
            <span>{bothUnacceptable ? m["live.writeReply"] : m["live.editLabel"]}</span>
            <textarea rows={3} value={edited} onChange={(e) => setEdited(e.target.value)} />
          </label>
        ) : null}
        {settings.rationale !== "off" ? (
          <label className="field">
            <span>{m["live.rationale"]}</span>
            <textarea rows={1} value={rationale} onChange={(e) => setRationale(e.target.value)} />
          </label>
        ) : null}
        <button
          type="button"
          className="btn btn-primary"
          disabled={!canSubmit}
          onClick={() => void submit()}
          aria-keyshortcuts="Control+Enter"
        >
          {saving ? m["live.submitting"] : m["live.submit"]}
        </button>
      </div>
    </section>
  );
}

/** Ending the session, with the optional whole-session rating. */
function EndSession({
  sessionId,
  ended,
  messages: m,
  onEnded,
}: {
  sessionId: number;
  ended: boolean;
  messages: Messages;
  onEnded: () => void;
}) {
  const [open, setOpen] = useState(false);
  const [rating, setRating] = useState("");
  const [busy, setBusy] = useState(false);
  if (ended) return null;
  if (!open) {
    return (
      <button type="button" className="btn" onClick={() => setOpen(true)}>
        {m["live.end"]}
      </button>
    );
  }
  return (
    // biome-ignore lint/a11y/useSemanticElements: a group of controls with one name; a fieldset would restyle the form
    <div className="stack" role="group" aria-label={m["live.endTitle"]}>
      <label className="field">
        <span>{m["live.rating"]}</span>
        <select value={rating} onChange={(e) => setRating(e.target.value)}>
          <option value="">{m["live.ratingNone"]}</option>
          {[5, 4, 3, 2, 1].map((r) => (
            <option key={r} value={r}>
              {"★".repeat(r)} {r}
            </option>
          ))}
        </select>
      </label>
      <button
        type="button"
        className="btn btn-danger"
        disabled={busy}
        onClick={async () => {
          setBusy(true);
          try {
            await api(`/api/sessions/${sessionId}/end`, rating ? { rating: Number(rating) } : {});
            onEnded();
          } finally {
            setBusy(false);
          }
        }}
      >
        {m["live.endConfirm"]}
      </button>
    </div>
  );
}
