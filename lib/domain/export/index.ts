/**
 * Pure building blocks of Arbiter's training exports (DPO, reward model, KTO):
 * prompts, aggregation, rows, split, serialisation, manifest and dataset card.
 * No I/O: the database layer feeds {@link ExportTask}s and writes the strings.
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
export * from "@/lib/domain/export/manifest";
export * from "@/lib/domain/export/card";
