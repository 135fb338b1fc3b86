"use client";

import { forwardRef, useImperativeHandle, useRef } from "react";
import type { MessageKey } from "@/lib/i18n";
import { fill } from "@/lib/i18n/fill";

export interface RankingHandle {
  focusRow: (index: number) => void;
}

const letter = (slot: number) => String.fromCharCode(65 + slot);

/**
 * The replies best first: drag a row, or focus it and press Alt+↑ / Alt+↓ (or the
 * buttons). Rows say their rank and reply; ties "with the one above" where allowed.
 */
export const RankingList = forwardRef<
  RankingHandle,
  {
    order: number[];
    tied: boolean[];
    allowTies: boolean;
    previews: Record<number, string>;
    onMove: (from: number, to: number) => void;
    onTie: (row: number, tied: boolean) => void;
    messages: Record<MessageKey, string>;
  }
>(function RankingList({ order, tied, allowTies, previews, onMove, onTie, messages: m }, ref) {
  const rows = useRef<(HTMLLIElement | null)[]>([]);
  useImperativeHandle(ref, () => ({ focusRow: (i) => rows.current[i]?.focus() }), []);
  const move = (from: number, to: number) => {
    if (to < 0 || to >= order.length) return;
    onMove(from, to);
    requestAnimationFrame(() => rows.current[to]?.focus());
  };
  return (
    <ol className="ranking" aria-label={m["annotate.ranking"]}>
      {order.map((slot, i) => (
        <li
          key={slot}
          ref={(el) => {
            rows.current[i] = el;
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
            if (!Number.isNaN(from)) onMove(from, i);
          }}
          onKeyDown={(e) => {
            if (e.altKey && e.key === "ArrowUp") {
              e.preventDefault();
              move(i, i - 1);
            } else if (e.altKey && e.key === "ArrowDown") {
              e.preventDefault();
              move(i, i + 1);
            }
          }}
        >
          <span className="rank-number">{i + 1}</span>
          <strong>{fill(m["annotate.reply"], { letter: letter(slot) })}</strong>
          <span className="rank-preview">{previews[slot]?.slice(0, 80)}</span>
          <span className="toolbar" style={{ marginLeft: "auto" }}>
            {allowTies && i > 0 && (
              <label style={{ fontWeight: 400 }}>
                <input type="checkbox" checked={tied[i] ?? false} onChange={(e) => onTie(i, e.target.checked)} />{" "}
                {m["annotate.tiedWithAbove"]}
              </label>
            )}
            <button
              type="button"
              className="btn btn-small"
              disabled={i === 0}
              aria-label={fill(m["annotate.moveUp"], { letter: letter(slot) })}
              onClick={() => move(i, i - 1)}
            >
              ↑
            </button>
            <button
              type="button"
              className="btn btn-small"
              disabled={i === order.length - 1}
              aria-label={fill(m["annotate.moveDown"], { letter: letter(slot) })}
              onClick={() => move(i, i + 1)}
            >
              ↓
            </button>
          </span>
        </li>
      ))}
    </ol>
  );
});
