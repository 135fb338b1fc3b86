"use client";

import { useEffect, useRef } from "react";
import type { MessageKey } from "@/lib/i18n";

/** The list of keyboard shortcuts, opened with `?` (or its button); Escape or `?` closes it. */
export function ShortcutsDialog({
  ranking,
  count,
  canSkip,
  allowBoth,
  messages: m,
  onClose,
}: {
  ranking: boolean;
  count: number;
  canSkip: boolean;
  allowBoth: boolean;
  messages: Record<MessageKey, string>;
  onClose: () => void;
}) {
  const close = useRef<HTMLButtonElement>(null);
  useEffect(() => close.current?.focus(), []);
  const rows: [string, MessageKey][] = [
    ranking ? [`1–${count}`, "workspace.key.focusReply"] : [`1–${count}`, "workspace.key.scale"],
    ...(ranking ? [["Alt+↑ / Alt+↓", "workspace.key.move"] as [string, MessageKey]] : []),
    ...(allowBoth ? [["0", "workspace.key.both"] as [string, MessageKey]] : []),
    ["Enter", "workspace.key.submit"],
    ...(canSkip ? [["S", "workspace.key.skip"] as [string, MessageKey]] : []),
    ["P", "workspace.key.persona"],
    ["?", "workspace.key.help"],
    ["Tab / Shift+Tab", "workspace.key.tab"],
  ];
  return (
    <div
      className="panel shortcuts-dialog"
      role="dialog"
      aria-labelledby="shortcuts-h"
      onKeyDown={(e) => {
        if (e.key === "Escape") {
          e.stopPropagation();
          onClose();
        }
      }}
    >
      <div className="toolbar" style={{ justifyContent: "space-between" }}>
        <h2 id="shortcuts-h" style={{ margin: 0 }}>
          {m["workspace.shortcutsTitle"]}
        </h2>
        <button ref={close} type="button" className="btn btn-small" onClick={onClose}>
          {m["workspace.close"]}
        </button>
      </div>
      <table className="data shortcuts">
        <thead>
          <tr>
            <th scope="col">{m["workspace.col.key"]}</th>
            <th scope="col">{m["workspace.col.action"]}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map(([key, action]) => (
            <tr key={action}>
              <td>
                <kbd>{key}</kbd>
              </td>
              <td>{m[action]}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
