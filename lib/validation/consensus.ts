import { z } from "zod";
import { CONSENSUS_METHODS } from "@/lib/domain/stats/consensus";

/** `?consensus=` of `GET /api/projects/{slug}/stats` and the dashboard: which annotator model to fit. */
export const ConsensusMethodInput = z.object({
  consensus: z.enum(CONSENSUS_METHODS, { message: `must be one of ${CONSENSUS_METHODS.join(", ")}` }),
});
export type ConsensusMethodInput = z.infer<typeof ConsensusMethodInput>;
