import type { ReactNode } from "react";

/** A state as a badge: marked active (in use, counted) or not (paused, retired, rejected). */
export function StateBadge({ active, children }: { active: boolean; children: ReactNode }) {
  return <span className={`badge ${active ? "badge-active" : "badge-inactive"}`}>{children}</span>;
}
