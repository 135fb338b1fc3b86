"use client";

import { dimensionName, dimensionRubric } from "@/lib/domain/dimensions";
import type { Locale, MessageKey } from "@/lib/i18n";
import { fill } from "@/lib/i18n/fill";

/** 1–5 ratings of one reply on the project's dimensions, each with its rubric as a tooltip. */
export function ReplyRatings({
  slot,
  letter,
  dimensions,
  values,
  onRate,
  error,
  locale,
  messages: m,
}: {
  slot: number;
  letter: string;
  dimensions: string[];
  values: Record<string, number> | undefined;
  onRate: (slot: number, dimension: string, value: number) => void;
  error: React.ReactNode;
  locale: Locale;
  messages: Record<MessageKey, string>;
}) {
  return (
    <fieldset className="ratings">
      <legend>{fill(m["annotate.ratings"], { letter })}</legend>
      {dimensions.map((dim) => {
        const name = dimensionName(dim, locale);
        const rubric = dimensionRubric(dim, locale);
        return (
          <div key={dim} className="rating-row" role="radiogroup" aria-label={`${name} (${letter})`} title={rubric}>
            <span className="rating-name">{name}</span>
            {[1, 2, 3, 4, 5].map((v) => (
              <label key={v} className="rating-option">
                <input
                  type="radio"
                  name={`rating-${slot}-${dim}`}
                  checked={values?.[dim] === v}
                  aria-label={fill(m["annotate.rating"], { dimension: `${name} (${letter})`, value: v })}
                  onChange={() => onRate(slot, dim, v)}
                />
                {v}
              </label>
            ))}
          </div>
        );
      })}
      {error}
    </fieldset>
  );
}
