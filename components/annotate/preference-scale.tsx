"use client";

import { forwardRef, useImperativeHandle, useRef } from "react";
import type { ScalePoints } from "@/lib/domain/preference";
import type { MessageKey } from "@/lib/i18n";
import { strengthLabel } from "./answer-label";

/** Focus handle: the shortcut that picks point n also moves focus to it. */
export interface ScaleHandle {
  focusPoint: (index: number) => void;
}

/** The pairwise scale, one button per point (radio semantics), keys 1…n shown on each. */
export const PreferenceScale = forwardRef<
  ScaleHandle,
  {
    values: number[];
    points: ScalePoints;
    selected: number | null;
    onChoose: (value: number) => void;
    messages: Record<MessageKey, string>;
  }
>(function PreferenceScale({ values, points, selected, onChoose, messages: m }, ref) {
  const buttons = useRef<(HTMLButtonElement | null)[]>([]);
  useImperativeHandle(ref, () => ({ focusPoint: (i) => buttons.current[i]?.focus() }), []);
  return (
    <div className="scale" role="radiogroup" aria-label={m["annotate.preference"]}>
      {values.map((v, i) => (
        // biome-ignore lint/a11y/useSemanticElements: a scale of buttons with shortcut keys, exposed as one radio group
        <button
          key={v}
          ref={(el) => {
            buttons.current[i] = el;
          }}
          type="button"
          role="radio"
          aria-checked={selected === v}
          aria-keyshortcuts={String(i + 1)}
          className={`scale-point${selected === v ? " selected" : ""}`}
          onClick={() => onChoose(v)}
        >
          <span className="scale-key">{i + 1}</span>
          {strengthLabel(v, points, m)}
        </button>
      ))}
    </div>
  );
});
