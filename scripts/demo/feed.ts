/**
 * What the demo hands a source's feed (scripts/demo/feed-recharge.ts, feed-flow.ts): the
 * store, the running app and its stand-ins, and how to wait for the app. A feed sends the
 * store's history the way that source would, week by week, and says what it did.
 */
import type { SimulatedDelivery, SimulatedStore } from "../../simulator/index";
import type { AdminApiServer } from "./admin-api-server";
import type { QueueWatch } from "./database";
import type { PostResult, SigningOptions } from "./post-deliveries";
import type { Answer, TimedPost, WeeklyResult } from "./send-by-week";
import type { SourceReport } from "./summary-source";

export interface FeedContext {
  store: SimulatedStore;
  signing: SigningOptions;
  /** The helpdesk's tickets: it posts them to Lifeline whatever the subscription app. */
  tickets: SimulatedDelivery[];
  concurrency: number;
  admin: AdminApiServer;
  queue: QueueWatch;
  /** Polls `done` until it holds; throws naming `what` after `timeoutMs`. */
  waitFor(done: () => boolean, timeoutMs: number, what: string): Promise<void>;
  /** Resolves when the app has finished the webhook work in hand (the end of a week). */
  waitForWeek(): Promise<void>;
  onWeek(week: number, weeks: number, posted: number): void;
  log(line: string): void;
  /** Ends a phase of the run's timings (the connection and import, say). */
  phase(name: string): void;
}

export interface FeedResult {
  sent: PostResult;
  report: SourceReport;
}

/** What was sent, with its distinct event ids (each source's own delivery keys). */
export function withDistinct(sent: WeeklyResult, posts: TimedPost[]): PostResult {
  const distinct = new Set(posts.map((p) => p.eventId)).size;
  return { ...sent, distinctEventIds: distinct, resent: posts.length - distinct };
}

/** Tallies a source's own posts (not the helpdesk's) as they are answered. */
export function countingPosts(posts: TimedPost[]): { posts: TimedPost[]; posted: () => number; acknowledged: () => number } {
  let posted = 0;
  let acknowledged = 0;
  const counted = posts.map((p) => ({
    ...p,
    post: async (): Promise<Answer[]> => {
      const answers = await p.post();
      posted += answers.length;
      acknowledged += answers.filter((a) => a.status === 200).length;
      return answers;
    },
  }));
  return { posts: counted, posted: () => posted, acknowledged: () => acknowledged };
}

/** In time order; a stable sort keeps each source's own order within a second. */
export function inTimeOrder(...lists: TimedPost[][]): TimedPost[] {
  return lists.flat().map((p, i) => ({ p, i })).sort((a, b) => a.p.at - b.p.at || a.i - b.i).map((e) => e.p);
}
