"use client";

import { ROLEPLAY_FLAGS, UNSAFE_CATEGORIES } from "@/lib/domain/preference";
import type { MessageKey } from "@/lib/i18n";
import { fill } from "@/lib/i18n/fill";

/**
 * The flags of one reply: unsafe (with its category) where the project asks for safety
 * flags, and the role-play faults (out of character, speaks or acts for the user, reveals
 * it is an AI) where it asks for those.
 */
export function ReplyFlags({
  slot,
  letter,
  safety,
  unsafe,
  onUnsafe,
  roleplay,
  roleplayFlags,
  onRoleplayFlag,
  error,
  messages: m,
}: {
  slot: number;
  letter: string;
  safety: boolean;
  unsafe: string | undefined;
  onUnsafe: (slot: number, category: string | null) => void;
  roleplay: boolean;
  roleplayFlags: string[] | undefined;
  onRoleplayFlag: (slot: number, flag: string, on: boolean) => void;
  error: React.ReactNode;
  messages: Record<MessageKey, string>;
}) {
  return (
    <div className="reply-flags">
      {roleplay && (
        <fieldset className="roleplay-flags">
          <legend>{fill(m["flags.legend"], { letter })}</legend>
          {ROLEPLAY_FLAGS.map((flag) => (
            <label key={flag} className="flag">
              <input
                type="checkbox"
                checked={roleplayFlags?.includes(flag) ?? false}
                aria-label={fill(m["flags.label"], { letter, flag: m[`flags.${flag}`] })}
                onChange={(e) => onRoleplayFlag(slot, flag, e.target.checked)}
              />
              {m[`flags.${flag}`]}
            </label>
          ))}
        </fieldset>
      )}
      {safety && (
        <div className="toolbar">
          <label className="flag">
            <input type="checkbox" checked={unsafe !== undefined} onChange={(e) => onUnsafe(slot, e.target.checked ? "other" : null)} />
            {fill(m["annotate.unsafe"], { letter })}
          </label>
          {unsafe !== undefined && (
            <select
              aria-label={fill(m["annotate.unsafeCategory"], { letter })}
              value={unsafe}
              onChange={(e) => onUnsafe(slot, e.target.value)}
            >
              {UNSAFE_CATEGORIES.map((cat) => (
                <option key={cat} value={cat}>
                  {m[`annotate.unsafe.${cat}`]}
                </option>
              ))}
            </select>
          )}
        </div>
      )}
      {error}
    </div>
  );
}
