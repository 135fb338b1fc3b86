/**
 * Pure pieces of live role-play sessions: the conversation tree, endpoint selection and
 * blind labels, per-turn training rows and the Open-Assistant-style tree export.
 */
export * from "@/lib/domain/live/tree";
export * from "@/lib/domain/live/selection";
export * from "@/lib/domain/live/rows";
export * from "@/lib/domain/live/oa-tree";
export * from "@/lib/domain/live/leaderboard";
