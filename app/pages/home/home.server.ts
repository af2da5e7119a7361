/**
 * The home page in one call: the dashboard's figures, the first scoring's progress
 * (a new install scores its imported subscribers in the background), and the
 * deliveries that kept failing, ready to replay.
 */
import { dashboard, type Dashboard } from "./dashboard.server";
import { deadLetters, type DeadLetter } from "../../models/inbox.server";
import { rescoreProgress, type RescoreProgress } from "../../rescore/index.server";

export interface HomePage extends Dashboard {
  scoring: RescoreProgress | null;
  failedDeliveries: DeadLetter[];
}

export async function homePage(shop: string, now = new Date()): Promise<HomePage> {
  const [figures, scoring, failedDeliveries] = await Promise.all([dashboard(shop, now), rescoreProgress(shop), deadLetters(shop)]);
  return { ...figures, scoring, failedDeliveries };
}
