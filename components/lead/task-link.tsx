import Link from "next/link";
import type { Messages } from "@/lib/i18n";
import { fill } from "@/lib/i18n/fill";

/** A task's number linking to its review page, named in full for screen readers ("Open task 12"). */
export function TaskLink({ taskId, messages: m }: { taskId: number; messages: Messages }) {
  return (
    <Link href={`/review/${taskId}`} aria-label={fill(m["review.open"], { id: taskId })}>
      #{taskId}
    </Link>
  );
}
