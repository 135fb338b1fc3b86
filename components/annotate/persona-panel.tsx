"use client";

import { CharacterCard } from "@/components/content/character-card";
import type { MessageKey } from "@/lib/i18n";

/**
 * The persona beside the task: the whole character card, scrolling on its own. Collapsed,
 * it leaves a narrow strip with the character's name and the button to open it again.
 */
export function PersonaPanel({
  name,
  profile,
  collapsed,
  onToggle,
  messages: m,
}: {
  name: string;
  profile: Record<string, unknown>;
  collapsed: boolean;
  onToggle: () => void;
  messages: Record<MessageKey, string>;
}) {
  return (
    <aside className={`persona-panel${collapsed ? " collapsed" : ""}`} aria-label={m["workspace.persona"]}>
      <button
        type="button"
        className="btn btn-small persona-toggle"
        aria-expanded={!collapsed}
        aria-controls="persona-body"
        aria-keyshortcuts="P"
        onClick={onToggle}
        title={collapsed ? m["workspace.showPersona"] : m["workspace.hidePersona"]}
      >
        {collapsed ? `» ${m["workspace.showPersona"]}` : `« ${m["workspace.hidePersona"]}`}
      </button>
      {collapsed ? (
        <span className="persona-strip-name" aria-hidden="true">
          {name}
        </span>
      ) : (
        <div id="persona-body" className="persona-body">
          <CharacterCard name={name} profile={profile} label={m["annotate.character"]} open />
        </div>
      )}
    </aside>
  );
}
