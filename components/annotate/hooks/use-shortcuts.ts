"use client";

import { useEffect, useLayoutEffect, useRef } from "react";

/** Whether a key event comes from a text field (where letters and digits are typing, not commands). */
export function isTyping(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  return Boolean(el && (el.tagName === "TEXTAREA" || el.tagName === "INPUT" || el.tagName === "SELECT" || el.isContentEditable));
}

/**
 * One window keydown listener for the component's lifetime, calling the latest handler:
 * the subscription never churns on re-renders (each keypress re-renders the form), and
 * the handler still sees the current state.
 */
export function useShortcuts(handler: (event: KeyboardEvent) => void, enabled = true): void {
  const latest = useRef(handler);
  useLayoutEffect(() => {
    latest.current = handler;
  });
  useEffect(() => {
    if (!enabled) return;
    const onKey = (event: KeyboardEvent) => latest.current(event);
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [enabled]);
}
