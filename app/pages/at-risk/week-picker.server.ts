import prisma from "../../db.server";
import { shiftWeek } from "../../health/weeks.server";
import { PICKER_WEEKS } from "./at-risk-options";

/** Weeks with history to show, newest first: the current week and past weeks with weekly snapshots. */
export async function pickerWeeks(shop: string, current: string): Promise<string[]> {
  const oldest = shiftWeek(current, -(PICKER_WEEKS - 1));
  // The daily rescore snapshots every week while installed: the weeks with a list are
  // those from the first snapshot on (one indexed read, not a scan of every snapshot).
  const first = await prisma.healthHistory.findFirst({
    where: { shop, kind: "weekly", periodKey: { gte: oldest, lt: current } },
    orderBy: { periodKey: "asc" },
    select: { periodKey: true },
  });
  const weeks = [current];
  if (first) for (let k = shiftWeek(current, -1); k >= first.periodKey; k = shiftWeek(k, -1)) weeks.push(k);
  return weeks;
}
