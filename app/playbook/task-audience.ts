/** Whether a firing's task play opens a task for this subscriber: where a person's time pays. Pure. */
import type { TaskFor } from "./schema";
import type { SubscriberSnapshot } from "./types";

export function opensTaskFor(taskFor: TaskFor, subscriber: Pick<SubscriberSnapshot, "segmentKey" | "monthlyValue">): boolean {
  if (taskFor === "everyone") return true;
  if (taskFor === "high_value") return subscriber.segmentKey.endsWith(":high");
  return subscriber.monthlyValue >= taskFor.minMonthlyValue;
}
