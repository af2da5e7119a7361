/** The playbook core: pure, clock-free, safe to import on the server or in the browser. */
export * from "./types";
export * from "./schema";
export * from "./conditions";
export * from "./evaluate";
export * from "./holdout";
export * from "./metrics";
export * from "./defaults";
export * from "./measure";
export * from "./dry-run";
export * from "./tasks";
