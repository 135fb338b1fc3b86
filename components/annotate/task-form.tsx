"use client";

import { useLayoutEffect, useMemo, useRef, useState } from "react";
import { Dialogue } from "@/components/content/dialogue";
import { ModelText } from "@/components/content/model-text";
import type { ActionResult } from "@/lib/actions";
import { scaleValues, type ScalePoints } from "@/lib/domain/preference";
import type { Locale, MessageKey } from "@/lib/i18n";
import { fill } from "@/lib/i18n/fill";
import type { JudgmentView, LeasePayload } from "@/lib/services/annotation-views";
import { useAnswerDraft, type Answer } from "./hooks/use-answer-draft";
import { isTyping, useShortcuts } from "./hooks/use-shortcuts";
import { useStoredFlag } from "./hooks/use-stored-flag";
import { useVisibleTime } from "./hooks/use-visible-time";
import { PersonaPanel } from "./persona-panel";
import { PreferenceScale, type ScaleHandle } from "./preference-scale";
import { RankingList, type RankingHandle } from "./ranking-list";
import { ReplyFlags } from "./reply-flags";
import { ReplyRatings } from "./reply-ratings";
import { ShortcutsDialog } from "./shortcuts-dialog";
import { SkipDialog } from "./skip-dialog";

type Messages = Record<MessageKey, string>;
export type TaskView = Pick<LeasePayload, "task" | "item" | "candidates"> & { project: Pick<LeasePayload["project"], "settings"> };
export type { Answer };

const letter = (slot: number) => String.fromCharCode(65 + slot);

/**
 * Ratings and flags start folded when they take more lines than this (a dimension, the
 * role-play flags and the safety flag are a line each): open, they would squeeze the
 * replies' text. One click or Enter on their summary opens them.
 */
const OPEN_EXTRAS_UP_TO_LINES = 2;

/**
 * One task on one screen: the persona in a side panel (collapsible, remembered per
 * annotator), the dialogue in its own pane opened at its end, each reply in its own
 * scrolling column with its ratings and flags, and the decision bar (scale or ranking,
 * both unacceptable, rationale, submit). Fully usable by keyboard; `?` lists the keys.
 * Everything speaks of the replies as shown (slot 0 = A = left).
 */
export function TaskForm({
  view,
  initial,
  messages: m,
  locale,
  submitLabel,
  onSubmit,
  onSkip,
  userId,
  draftKey,
}: {
  view: TaskView;
  initial?: JudgmentView["answer"];
  messages: Messages;
  locale: Locale;
  submitLabel: string;
  onSubmit: (answer: Answer) => Promise<ActionResult<unknown>>;
  onSkip?: (reason: string, note: string) => Promise<void>;
  /** Whose preferences (the persona panel's state) this browser remembers. */
  userId?: number;
  /** Session-storage key of the answer draft (the assignment), so a reload keeps the choices. */
  draftKey?: string;
}) {
  const { task, item, candidates } = view;
  const settings = view.project.settings;
  const points = task.scalePoints as ScalePoints;
  const values = useMemo(() => scaleValues(points), [points]);
  const slots = useMemo(() => candidates.map((c) => c.slot), [candidates]);
  const ranking = task.kind === "ranking";
  const answer = useAnswerDraft({ slots, initial, settings, points, ranking, storageKey: draftKey });
  const { draft } = answer;

  const [errors, setErrors] = useState<Record<string, string[]>>({});
  const [message, setMessage] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const [showHelp, setShowHelp] = useState(false);
  const [skipping, setSkipping] = useState(false);
  const [personaCollapsed, setPersonaCollapsed] = useStoredFlag(`arbiter:persona-collapsed:${userId ?? "anonymous"}`, false);
  const elapsed = useVisibleTime();
  const scale = useRef<ScaleHandle>(null);
  const rankingList = useRef<RankingHandle>(null);
  const dialoguePane = useRef<HTMLElement>(null);

  // The dialogue opens at its end: the user turn the replies answer.
  useLayoutEffect(() => {
    const pane = dialoguePane.current;
    if (pane) pane.scrollTop = pane.scrollHeight;
  }, []);

  async function submit() {
    if (pending) return;
    const built = answer.buildAnswer(elapsed());
    if (!built) {
      setErrors({ strength: [m["annotate.chooseFirst"]] });
      setMessage(m["annotate.chooseFirst"]);
      return;
    }
    setPending(true);
    const result = await onSubmit(built);
    setPending(false);
    if (result.ok) answer.clearDraft();
    else {
      setErrors(result.fieldErrors ?? {});
      setMessage(result.message);
    }
  }

  // Digits choose, 0 both unacceptable, Enter submits, S skips, P toggles the persona, ? the key list.
  useShortcuts((e) => {
    if (skipping || e.ctrlKey || e.metaKey) return;
    if (isTyping(e.target)) return;
    if (e.key === "?") {
      e.preventDefault();
      setShowHelp((v) => !v);
      return;
    }
    if (e.altKey && e.key !== "Enter") return;
    if ((e.key === "s" || e.key === "S") && onSkip) {
      e.preventDefault();
      setSkipping(true);
      return;
    }
    if (e.key === "p" || e.key === "P") {
      e.preventDefault();
      setPersonaCollapsed(!personaCollapsed);
      return;
    }
    // Enter submits, except on other buttons, links and summaries, which it activates as
    // usual (a focused scale point is part of the answer, so Enter there submits too).
    const el = e.target instanceof HTMLElement ? e.target : null;
    const onScale = el?.closest(".scale") != null;
    const activates = el instanceof HTMLButtonElement || el instanceof HTMLAnchorElement || el?.tagName === "SUMMARY";
    if (e.key === "Enter") {
      if (onScale || !activates) {
        e.preventDefault();
        void submit();
      }
      return;
    }
    if (!/^[0-9]$/.test(e.key)) return;
    const n = Number(e.key);
    e.preventDefault();
    if (n === 0) {
      if (settings.allowBothUnacceptable) answer.setBoth(true);
    } else if (ranking) {
      if (n <= draft.order.length) rankingList.current?.focusRow(n - 1);
    } else if (n <= values.length) {
      answer.choose(values[n - 1]!);
      scale.current?.focusPoint(n - 1);
    }
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

  const hasRatings = settings.dimensions.length > 0;
  const roleplay = settings.roleplayFlags !== false;
  const hasFlags = settings.safetyFlags || roleplay;
  const hasExtras = hasRatings || hasFlags;
  const extrasOpenByDefault = settings.dimensions.length + (roleplay ? 2 : 0) + (settings.safetyFlags ? 1 : 0) <= OPEN_EXTRAS_UP_TO_LINES;
  const previews = Object.fromEntries(candidates.map((c) => [c.slot, c.content]));

  return (
    <div className={`task task-${ranking ? "ranking" : "pairwise"}${personaCollapsed ? " persona-collapsed" : ""}`}>
      <PersonaPanel
        name={item.character.name}
        profile={item.character.profile}
        collapsed={personaCollapsed}
        onToggle={() => setPersonaCollapsed(!personaCollapsed)}
        messages={m}
      />
      <div className="task-main">
        {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling pane takes focus so that keyboard users can scroll it */}
        <section ref={dialoguePane} className="panel dialogue-pane" tabIndex={0} aria-label={m["annotate.dialogue"]}>
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
          {candidates.map((c) => {
            const l = letter(c.slot);
            const ratingError = fieldError(`ratings.${c.slot}`);
            const flagError = fieldError(`unsafe.${c.slot}`) ?? fieldError(`roleplay_flags.${c.slot}`);
            return (
              <article key={c.slot} className="panel candidate" aria-label={fill(m["annotate.reply"], { letter: l })}>
                <h2 className="reply-title">{fill(m["annotate.reply"], { letter: l })}</h2>
                {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling pane takes focus so that keyboard users can scroll it */}
                {/* biome-ignore lint/a11y/useAriaPropsSupportedByRole: the focused pane is announced by this name */}
                <div className="reply-text" tabIndex={0} aria-label={fill(m["annotate.reply"], { letter: l })}>
                  <ModelText text={c.content} markdown={settings.markdown} />
                </div>
                {hasExtras && (
                  <details className="reply-extras" open={extrasOpenByDefault || ratingError !== null || flagError !== null}>
                    <summary>
                      {hasRatings ? m["workspace.extras"] : m["workspace.flagsOnly"]} ({l})
                    </summary>
                    {hasRatings && (
                      <ReplyRatings
                        slot={c.slot}
                        letter={l}
                        dimensions={settings.dimensions}
                        values={draft.ratings[String(c.slot)]}
                        onRate={answer.rate}
                        error={ratingError}
                        locale={locale}
                        messages={m}
                      />
                    )}
                    {hasFlags && (
                      <ReplyFlags
                        slot={c.slot}
                        letter={l}
                        safety={settings.safetyFlags}
                        unsafe={draft.unsafe[String(c.slot)]}
                        onUnsafe={answer.setUnsafe}
                        roleplay={roleplay}
                        roleplayFlags={draft.roleplayFlags[String(c.slot)]}
                        onRoleplayFlag={answer.setRoleplayFlag}
                        error={flagError}
                        messages={m}
                      />
                    )}
                  </details>
                )}
              </article>
            );
          })}
        </section>

        <section className="panel decision-bar" aria-label={ranking ? m["annotate.ranking"] : m["annotate.preference"]}>
          <div className="decision-main">
            {ranking ? (
              <>
                <p className="muted decision-help">
                  <strong>{m["annotate.ranking"]}</strong> · {m["annotate.rankingHelp"]}
                </p>
                <RankingList
                  ref={rankingList}
                  order={draft.order}
                  tied={draft.tied}
                  allowTies={settings.allowRankingTies}
                  previews={previews}
                  onMove={answer.move}
                  onTie={answer.setTied}
                  messages={m}
                />
                {fieldError("ranking")}
              </>
            ) : (
              <>
                <PreferenceScale
                  ref={scale}
                  values={values}
                  points={points}
                  selected={draft.both ? null : draft.strength}
                  onChoose={answer.choose}
                  messages={m}
                />
                {fieldError("strength")}
              </>
            )}
            <div className="decision-extra">
              {settings.allowBothUnacceptable && (
                <label className="both-unacceptable">
                  <input type="checkbox" checked={draft.both} aria-keyshortcuts="0" onChange={(e) => answer.setBoth(e.target.checked)} />
                  {m["annotate.bothUnacceptable"]} <span className="scale-key">0</span>
                </label>
              )}
              {fieldError("both_unacceptable")}
              {settings.rationale !== "off" && (
                <div className="field rationale">
                  <label htmlFor="rationale">{answer.rationaleRequired ? m["annotate.rationaleRequired"] : m["annotate.rationale"]}</label>
                  <textarea
                    id="rationale"
                    rows={2}
                    value={draft.rationale}
                    required={answer.rationaleRequired}
                    aria-invalid={Boolean(errors.rationale)}
                    aria-describedby={errors.rationale ? "err-rationale" : undefined}
                    onChange={(e) => answer.setRationale(e.target.value)}
                  />
                  {fieldError("rationale")}
                </div>
              )}
            </div>
          </div>
          <div className="decision-actions">
            <button
              className="btn btn-primary btn-large"
              type="button"
              disabled={pending}
              onClick={() => void submit()}
              aria-keyshortcuts="Enter"
            >
              {pending ? m["annotate.submitting"] : submitLabel}
            </button>
            {onSkip && (
              <button className="btn" type="button" onClick={() => setSkipping(true)} aria-keyshortcuts="S">
                {m["annotate.skip"]}
              </button>
            )}
            <button
              className="btn btn-small"
              type="button"
              aria-expanded={showHelp}
              onClick={() => setShowHelp((v) => !v)}
              aria-keyshortcuts="?"
            >
              {m["annotate.shortcuts"]} (?)
            </button>
          </div>
          {message && (
            <p className="alert alert-error decision-message" role="alert">
              {message}
            </p>
          )}
        </section>
      </div>
      {showHelp && (
        <ShortcutsDialog
          ranking={ranking}
          count={ranking ? draft.order.length : values.length}
          canSkip={Boolean(onSkip)}
          allowBoth={settings.allowBothUnacceptable}
          messages={m}
          onClose={() => setShowHelp(false)}
        />
      )}
      {skipping && onSkip && <SkipDialog messages={m} onCancel={() => setSkipping(false)} onSkip={onSkip} />}
    </div>
  );
}
