/** The rescore stage: what the rest of the app starts, follows and drives. */
export { rescoreBatch, scoreDirtySubscribers, scoringPass, type BatchOutcome } from "./pass.server";
export { finishRescoreRuns, rescoreProgress, scheduleDailyRescores, startRescore, type RescoreProgress } from "./runs.server";
