import { fill, type Messages } from "@/components/dashboard/format";
import type { ProjectUpkeepView } from "@/lib/services/project-upkeep";

/**
 * One line under the annotator models: which steps keep themselves current in the
 * background (adaptive overlap, active pair sampling) and what the last run did.
 */
export function UpkeepNote({ upkeep, messages: m, locale }: { upkeep: ProjectUpkeepView; messages: Messages; locale: string }) {
  const steps = [upkeep.adaptiveOverlap && m["upkeep.adaptive"], upkeep.activeSampling && m["upkeep.active"]].filter((s): s is string =>
    Boolean(s),
  );
  if (steps.length === 0) return null;
  const head = fill(m["upkeep.steps"], { steps: steps.join(m["upkeep.and"]) });
  const last = upkeep.last;
  if (last === null) return <p className="muted">{`${head} ${m["upkeep.never"]}`}</p>;
  const when = new Date(last.finishedAt ?? last.startedAt).toLocaleString(locale);
  if (last.finishedAt === null) return <p className="muted">{`${head} ${fill(m["upkeep.running"], { when })}`}</p>;
  const done: string[] = [];
  if (last.result.extended)
    done.push(fill(m["upkeep.extended"], { tasks: last.result.extended.tasks, uncertain: last.result.extended.uncertain }));
  if (last.result.ranks) done.push(fill(m["upkeep.ranked"], { changed: last.result.ranks.changed, tasks: last.result.ranks.tasks }));
  return (
    <p className={last.result.error ? "alert alert-error" : "muted"}>
      {`${head} ${fill(m["upkeep.last"], { when })} `}
      {last.result.error ? fill(m["upkeep.failed"], { error: last.result.error }) : done.join(m["upkeep.separator"])}
    </p>
  );
}
