"use client";

import { UNSAFE_CATEGORIES } from "@/lib/domain/preference";
import type { MessageKey } from "@/lib/i18n";
import { fill } from "@/lib/i18n/fill";

/** The flags of one reply: unsafe, with its category. */
export function ReplyFlags({
  slot,
  letter,
  unsafe,
  onUnsafe,
  error,
  messages: m,
}: {
  slot: number;
  letter: string;
  unsafe: string | undefined;
  onUnsafe: (slot: number, category: string | null) => void;
  error: React.ReactNode;
  messages: Record<MessageKey, string>;
}) {
  return (
    <div className="toolbar reply-flags">
      <label className="flag">
        <input type="checkbox" checked={unsafe !== undefined} onChange={(e) => onUnsafe(slot, e.target.checked ? "other" : null)} />
        {fill(m["annotate.unsafe"], { letter })}
      </label>
      {unsafe !== undefined && (
        <select aria-label={fill(m["annotate.unsafeCategory"], { letter })} value={unsafe} onChange={(e) => onUnsafe(slot, e.target.value)}>
          {UNSAFE_CATEGORIES.map((cat) => (
            <option key={cat} value={cat}>
              {m[`annotate.unsafe.${cat}`]}
            </option>
          ))}
        </select>
      )}
      {error}
    </div>
  );
}
