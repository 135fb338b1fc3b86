"use client";

import { useEffect, useMemo, useState } from "react";
import { rationaleRequired as answerNeedsRationale, toMilliseconds } from "@/lib/domain/answer";
import type { ScalePoints } from "@/lib/domain/preference";
import type { JudgmentView, LeasePayload } from "@/lib/services/annotation-views";

export type Answer = Record<string, unknown>;
type Settings = LeasePayload["project"]["settings"];
type Initial = JudgmentView["answer"] | undefined;

/** What the annotator has chosen so far, in display terms (slot 0 = first shown). */
export interface Draft {
  strength: number | null;
  both: boolean;
  /** Slots from best to worst (ranking tasks). */
  order: number[];
  /** tied[i]: row i ranks equal to the row above (where the project allows ties). */
  tied: boolean[];
  ratings: Record<string, Record<string, number>>;
  unsafe: Record<string, string>;
  roleplayFlags: Record<string, string[]>;
  rationale: string;
}

function initialDraft(slots: number[], initial: Initial): Draft {
  const ranks = initial?.ranking;
  const order = ranks ? [...slots].sort((a, b) => ranks[a]! - ranks[b]! || a - b) : slots;
  return {
    strength: initial?.strength ?? null,
    both: Boolean(initial?.both_unacceptable),
    order,
    tied: ranks ? order.map((s, i) => i > 0 && ranks[s] === ranks[order[i - 1]!]) : slots.map(() => false),
    ratings: initial?.ratings ?? {},
    unsafe: initial?.unsafe ?? {},
    roleplayFlags: initial?.roleplay_flags ?? {},
    rationale: initial?.rationale ?? "",
  };
}

function restore(key: string | undefined, slots: number[]): Draft | null {
  if (!key) return null;
  try {
    const saved = JSON.parse(window.sessionStorage.getItem(key) ?? "null") as Draft | null;
    // A draft of another task shape (it cannot happen for one assignment, but storage is user-editable) is ignored.
    if (
      !saved ||
      !Array.isArray(saved.order) ||
      typeof saved.roleplayFlags !== "object" ||
      [...saved.order].sort().join() !== [...slots].sort().join()
    )
      return null;
    return saved;
  } catch {
    return null;
  }
}

/**
 * The answer being drafted for one task. With `storageKey` (the assignment), the draft is
 * kept in this tab's session storage so that a reload resumes the lease with the choices
 * already made; {@link clearDraft} forgets it after the submit.
 */
export function useAnswerDraft({
  slots,
  initial,
  settings,
  points,
  ranking,
  storageKey,
}: {
  slots: number[];
  initial: Initial;
  settings: Settings;
  points: ScalePoints;
  ranking: boolean;
  storageKey?: string;
}) {
  const [draft, setDraft] = useState<Draft>(
    () => (typeof window !== "undefined" && restore(storageKey, slots)) || initialDraft(slots, initial),
  );

  useEffect(() => {
    if (!storageKey) return;
    try {
      window.sessionStorage.setItem(storageKey, JSON.stringify(draft));
    } catch {
      // storage full or disabled: the draft lives in memory only
    }
  }, [draft, storageKey]);

  /** Rank per slot (1 = best), ties sharing the rank above where the project allows them. */
  function ranksBySlot(): number[] {
    const ranks: number[] = [];
    draft.order.forEach((slot, i) => {
      ranks[slot] = i > 0 && draft.tied[i] && settings.allowRankingTies ? ranks[draft.order[i - 1]!]! : i + 1;
    });
    return ranks;
  }

  // The server's rule (lib/domain/answer.ts), applied to the answer as it stands.
  const rationaleRequired = answerNeedsRationale(
    draft.both ? { bothUnacceptable: true } : ranking ? { ranking: ranksBySlot() } : { strength: draft.strength ?? undefined },
    { kind: ranking ? "ranking" : "pairwise", scalePoints: points, candidateCount: slots.length },
    settings,
  );

  const actions = useMemo(
    () => ({
      choose: (strength: number) => setDraft((d) => ({ ...d, strength, both: false })),
      setBoth: (both: boolean) => setDraft((d) => ({ ...d, both, strength: both ? null : d.strength })),
      setOrder: (order: number[]) => setDraft((d) => ({ ...d, order })),
      move: (from: number, to: number) =>
        setDraft((d) => {
          if (to < 0 || to >= d.order.length || from === to) return d;
          const order = [...d.order];
          const [moved] = order.splice(from, 1);
          order.splice(to, 0, moved!);
          return { ...d, order };
        }),
      setTied: (row: number, tied: boolean) => setDraft((d) => ({ ...d, tied: d.tied.map((v, j) => (j === row ? tied : v)) })),
      rate: (slot: number, dimension: string, value: number) =>
        setDraft((d) => ({ ...d, ratings: { ...d.ratings, [String(slot)]: { ...d.ratings[String(slot)], [dimension]: value } } })),
      setUnsafe: (slot: number, category: string | null) =>
        setDraft((d) => {
          const unsafe = { ...d.unsafe };
          if (category === null) delete unsafe[String(slot)];
          else unsafe[String(slot)] = category;
          return { ...d, unsafe };
        }),
      setRoleplayFlag: (slot: number, flag: string, on: boolean) =>
        setDraft((d) => {
          const current = d.roleplayFlags[String(slot)] ?? [];
          const next = on ? [...new Set([...current, flag])] : current.filter((f) => f !== flag);
          const roleplayFlags = { ...d.roleplayFlags };
          if (next.length) roleplayFlags[String(slot)] = next;
          else delete roleplayFlags[String(slot)];
          return { ...d, roleplayFlags };
        }),
      setRationale: (rationale: string) => setDraft((d) => ({ ...d, rationale })),
    }),
    [],
  );

  /** The answer to send, or null when nothing is chosen yet. */
  function buildAnswer(seconds: number): Answer | null {
    const answer: Answer = {};
    if (draft.both) answer.both_unacceptable = true;
    else if (ranking) answer.ranking = ranksBySlot();
    else if (draft.strength !== null) answer.strength = draft.strength;
    else return null;
    const ratings = Object.fromEntries(Object.entries(draft.ratings).filter(([, dims]) => Object.keys(dims).length > 0));
    if (Object.keys(ratings).length) answer.ratings = ratings;
    if (Object.keys(draft.unsafe).length) answer.unsafe = draft.unsafe;
    if (Object.keys(draft.roleplayFlags).length) answer.roleplay_flags = draft.roleplayFlags;
    if (settings.rationale !== "off" && draft.rationale.trim()) answer.rationale = draft.rationale;
    // The server keeps milliseconds; a keyboard answer can take less than a tenth of a second.
    answer.seconds = toMilliseconds(seconds);
    return answer;
  }

  function clearDraft() {
    if (!storageKey) return;
    try {
      window.sessionStorage.removeItem(storageKey);
    } catch {
      // nothing stored
    }
  }

  return { draft, ...actions, rationaleRequired, buildAnswer, clearDraft };
}
