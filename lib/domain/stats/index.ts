/**
 * Arbiter's statistics library: agreement coefficients, annotator quality and the model
 * leaderboard. Pure functions on canonical strengths; no I/O. See docs/statistics.md.
 */

export * from "./types";
export * from "./rng";
export * from "./intervals";
export * from "./counts";
export * from "./agreement";
export * from "./krippendorff";
export * from "./kappa";
export * from "./kendall";
export * from "./annotator-quality";
export * from "./bradley-terry";
export * from "./bootstrap";
export * from "./report";
export * from "./label-model";
export * from "./dawid-skene";
export * from "./mace";
export * from "./linear-algebra";
export * from "./bt-logistic";
export * from "./noisy-bradley-terry";
export * from "./active-sampling";
export * from "./fragility";
export * from "./sampling-simulation";
export * from "./consensus";
