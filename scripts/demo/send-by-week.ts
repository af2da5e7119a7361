/**
 * Sends a store's requests to the app one simulated week at a time, a few at a time, in
 * send order, and waits for the app to finish each week's work before the next: how every
 * source's deliveries reach the app in the demo (Shopify's webhooks, Recharge's, Flow's).
 */

export const WEEK_MS = 7 * 86_400_000;

export interface Answer {
  status: number;
  detail: string;
}

/** One thing the store sends at a simulated moment; `post` makes its request(s) and returns each answer. */
export interface TimedPost {
  at: number;
  topic: string;
  eventId: string;
  post(): Promise<Answer[]>;
}

export interface NotAcknowledged {
  topic: string;
  eventId: string;
  status: number;
  detail: string;
}

export interface WeeklyResult {
  posted: number;
  acknowledged: number;
  notAcknowledged: NotAcknowledged[];
  weeks: number;
  /** Time spent sending, and waiting for the app to catch up between weeks. */
  sendingMs: number;
  waitingMs: number;
}

export interface WeeklyOptions {
  /** Weeks count from here. */
  start: Date;
  concurrency: number;
  /** Called with each post's simulated time as it goes out. */
  advanceClock: (at: Date) => void;
  /** Before a week's first post, with the end of that week (the local Recharge server moves its data on). */
  beforeWeek?: (weekEnd: Date) => void | Promise<void>;
  /** Resolves when the app has no work left for what was sent. */
  waitUntilProcessed: () => Promise<void>;
  onWeek?: (week: number, weeks: number, posted: number) => void;
}

export function groupPostsByWeek<T extends { at: number }>(posts: T[], start: Date): T[][] {
  const weeks: T[][] = [];
  for (const p of posts) {
    const week = Math.max(0, Math.floor((p.at - start.getTime()) / WEEK_MS));
    (weeks[week] ??= []).push(p);
  }
  return weeks.filter((w) => w && w.length > 0);
}

export function emptyResult(): WeeklyResult {
  return { posted: 0, acknowledged: 0, notAcknowledged: [], weeks: 0, sendingMs: 0, waitingMs: 0 };
}

/** Adds `more` into `into` (two stretches of one run: before a connection and after it). */
export function addResult(into: WeeklyResult, more: WeeklyResult): WeeklyResult {
  into.posted += more.posted;
  into.acknowledged += more.acknowledged;
  into.notAcknowledged.push(...more.notAcknowledged);
  into.weeks += more.weeks;
  into.sendingMs += more.sendingMs;
  into.waitingMs += more.waitingMs;
  return into;
}

export async function sendByWeek(posts: TimedPost[], options: WeeklyOptions): Promise<WeeklyResult> {
  const weeks = groupPostsByWeek(posts, options.start);
  const result = emptyResult();
  result.weeks = weeks.length;

  for (const [w, batch] of weeks.entries()) {
    const weekIndex = Math.max(0, Math.floor((batch[0].at - options.start.getTime()) / WEEK_MS));
    await options.beforeWeek?.(new Date(options.start.getTime() + (weekIndex + 1) * WEEK_MS));
    const t0 = Date.now();
    let next = 0;
    const lanes = Array.from({ length: Math.min(options.concurrency, batch.length) }, async () => {
      while (next < batch.length) {
        const p = batch[next++];
        options.advanceClock(new Date(p.at));
        for (const { status, detail } of await p.post()) {
          result.posted++;
          if (status === 200) result.acknowledged++;
          else result.notAcknowledged.push({ topic: p.topic, eventId: p.eventId, status, detail });
        }
      }
    });
    await Promise.all(lanes);
    const t1 = Date.now();
    await options.waitUntilProcessed();
    result.sendingMs += t1 - t0;
    result.waitingMs += Date.now() - t1;
    options.onWeek?.(w + 1, weeks.length, result.posted);
  }
  return result;
}

/** One POST; a refused connection is an answer of 0 with its cause. */
export async function postRequest(url: string, headers: Record<string, string>, body: string): Promise<Answer> {
  try {
    const response = await fetch(url, { method: "POST", body, headers });
    const text = await response.text();
    return { status: response.status, detail: text.slice(0, 200) };
  } catch (error) {
    return { status: 0, detail: String((error as Error).cause ?? error) };
  }
}
