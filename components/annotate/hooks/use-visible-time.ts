"use client";

import { useCallback, useEffect, useRef } from "react";

/** Visible-tab seconds since mount: the clock stops while the tab is hidden. */
export function useVisibleTime(): () => number {
  const total = useRef(0);
  const since = useRef<number | null>(null);
  useEffect(() => {
    since.current = document.visibilityState === "visible" ? performance.now() : null;
    const onChange = () => {
      if (document.visibilityState === "visible") since.current = performance.now();
      else if (since.current !== null) {
        total.current += performance.now() - since.current;
        since.current = null;
      }
    };
    document.addEventListener("visibilitychange", onChange);
    return () => document.removeEventListener("visibilitychange", onChange);
  }, []);
  return useCallback(() => (total.current + (since.current !== null ? performance.now() - since.current : 0)) / 1000, []);
}
