export * from "./enums";
export * from "./users";
export * from "./projects";
export * from "./content";
export * from "./annotation";
export * from "./governance";
export * from "./stats";
export * from "./live";
