import { Note, Section } from "@/components/ui/page";
import type { LiveLeaderboard } from "@/lib/services/live-leaderboard";
import { fill, type Messages } from "./format";
import { Leaderboard } from "./leaderboard";

/**
 * The leaderboard of a live project: which turns it counts (the first of each branch by
 * default, all turns on request, and a link to switch), how many comparisons were between
 * different models and how many between replies of one model, then the shared
 * Bradley–Terry leaderboard.
 */
export function LiveLeaderboardPanel({
  board,
  switchHref,
  messages: m,
}: {
  board: LiveLeaderboard;
  /** The same page with the other basis. */
  switchHref: string;
  messages: Messages;
}) {
  const allTurns = board.basis === "all_turns";
  return (
    <Section id="live-leaderboard-h" title={m["live.board.title"]}>
      <p style={{ margin: 0 }}>
        {allTurns ? m["live.board.allTurns"] : fill(m["live.board.firstTurns"], { left: board.laterTurnsLeftOut })}{" "}
        <a href={switchHref}>{allTurns ? m["live.board.showFirst"] : m["live.board.showAll"]}</a>
      </p>
      <Note>
        {fill(m["live.board.counts"], {
          comparisons: board.comparisons,
          different: board.differentModels,
          same: board.sameModel,
          none: board.noPreference,
        })}
      </Note>
      {board.leaderboard ? <Leaderboard board={board.leaderboard} messages={m} /> : <Note>{m["live.board.none"]}</Note>}
    </Section>
  );
}
