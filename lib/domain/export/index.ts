/**
 * Pure building blocks of Arbiter's exports (DPO, reward model, KTO, raw): the task as
 * read (source.ts), prompts, aggregation, rows, split, serialisation, raw lines, manifest
 * and dataset card, and the per-kind bundle builders that compose them (bundle.ts).
 * No I/O: the service feeds tasks read from the database and writes the strings.
 */
export * from "@/lib/domain/export/types";
export * from "@/lib/domain/export/json-text";
export * from "@/lib/domain/export/prompt";
export * from "@/lib/domain/export/aggregate";
export * from "@/lib/domain/export/consensus";
export * from "@/lib/domain/export/strength";
export * from "@/lib/domain/export/split";
export * from "@/lib/domain/export/rows";
export * from "@/lib/domain/export/serialize";
export * from "@/lib/domain/export/counts";
export * from "@/lib/domain/export/build";
export * from "@/lib/domain/export/source";
export * from "@/lib/domain/export/raw";
export * from "@/lib/domain/export/card-sample";
export * from "@/lib/domain/export/bundle";
export * from "@/lib/domain/export/manifest";
export * from "@/lib/domain/export/card";
