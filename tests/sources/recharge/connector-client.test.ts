// The Recharge API client against the local Recharge server (and, for a hung connection, a
// server that never answers): what it sends, how it paces itself, and how it classifies
// what comes back.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeEach, describe, expect, test } from "vitest";
import { PermanentError, RetryLaterError } from "~/queue/errors";
import { BAD_TOKEN_MESSAGE, RechargeRefusedError, RechargeUnavailableError, createRechargeClient, type RechargeClientOptions } from "~/sources/recharge/api.server";
import { LeakyBucket, createRechargePacer } from "~/sources/recharge/rate-limit";
import { buildRechargeDataSet } from "../../../simulator/recharge/dataset";
import { startRechargeServer } from "../../../simulator/recharge/server";

const TOKEN = "sk_client_token";
const TINY = "sk_tiny_bucket";
const server = await startRechargeServer({
  data: buildRechargeDataSet({ subscriptions: 30 }),
  tokens: { [TOKEN]: {}, [TINY]: { limit: { size: 3, leakPerSecond: 10 } } },
});
afterAll(() => server.stop());
beforeEach(() => server.reset());

const noWait = async () => {};
const client = (token: string, options: RechargeClientOptions = {}) =>
  createRechargeClient(token, { baseUrl: server.baseUrl, pacer: createRechargePacer(), sleep: noWait, ...options });

describe("what the client sends", () => {
  test("the token and version headers, and on a cursor page only the cursor and the limit", async () => {
    const c = client(TOKEN);
    const first = await c.list("subscriptions", { filters: { status: "active", sort_by: "id-asc" }, limit: 10 });
    expect(first.items).toHaveLength(10);
    expect(first.nextCursor).not.toBeNull();
    const second = await c.list("subscriptions", { cursor: first.nextCursor, filters: { status: "active", sort_by: "id-asc" }, limit: 10 });
    expect(server.requests.map((r) => r.query)).toEqual([
      { status: "active", sort_by: "id-asc", limit: "10" },
      { cursor: first.nextCursor, limit: "10" },
    ]);
    expect(server.requests.every((r) => r.token === TOKEN && r.version === "2021-11")).toBe(true);
    // The cursor carried the first request's filter.
    expect(second.items.every((s) => (s as { status: string }).status === "active")).toBe(true);
    expect(new Set([...first.items, ...second.items].map((s) => (s as { id: number }).id)).size).toBe(first.items.length + second.items.length);
  });

  test("a page is never asked for more than Recharge's 250", async () => {
    await client(TOKEN).list("charges", { limit: 1000 });
    expect(server.requests[0].query.limit).toBe("250");
  });
});

describe("what the client makes of Recharge's answers", () => {
  test("401 is a permanent refusal with the merchant's message; the token is in no message", async () => {
    const error = await client("sk_not_a_real_token").list("subscriptions", { limit: 1 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RechargeRefusedError);
    expect(error).toBeInstanceOf(PermanentError);
    expect((error as RechargeRefusedError).status).toBe(401);
    expect((error as Error).message).toBe(BAD_TOKEN_MESSAGE);
  });

  test("5xx is retried, and after the last attempt is a retryable outage, not a refusal", async () => {
    server.failNext(2, 502);
    expect((await client(TOKEN).list("customers", { limit: 5 })).items).toHaveLength(5);
    server.failNext(3, 503);
    const error = await client(TOKEN).list("customers", { limit: 5 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RechargeUnavailableError);
    expect(error).not.toBeInstanceOf(PermanentError);
  });

  test("a webhook creation that met a 5xx is not sent again (it may have landed)", async () => {
    server.failNext(1, 500);
    const error = await client(TOKEN).createWebhook({ address: "https://lifeline.test/x?topic=charge%2Fpaid", topic: "charge/paid" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RechargeUnavailableError);
    expect(server.requests.filter((r) => r.method === "POST")).toHaveLength(1);
  });

  test("a 429 is waited out and the request sent again; Retry-After is honoured when sent", async () => {
    const waits: number[] = [];
    const c = client(TINY, { pacer: createRechargePacer({ headroom: 0 }), sleep: async (ms) => void waits.push(ms) });
    // The client's copy of the bucket thinks 40; this token's is 3: the fourth request is refused, then retried.
    const ids = [];
    for (let i = 0; i < 5; i++) ids.push((await c.list("subscriptions", { limit: 1 })).items.length);
    expect(ids).toEqual([1, 1, 1, 1, 1]);
    expect(server.throttled().length).toBeGreaterThan(0);
    expect(server.requests.filter((r) => r.status === 200)).toHaveLength(5);

    const withHeader = await startRechargeServer({ tokens: { [TINY]: { limit: { size: 1, leakPerSecond: 0.001 } } }, retryAfterSeconds: 7 });
    try {
      const slept: number[] = [];
      let t = 0; // the pacer's own waits pass on a clock of their own
      const pacer = createRechargePacer({ now: () => t, sleep: async (ms) => void (t += ms) });
      const d = createRechargeClient(TINY, { baseUrl: withHeader.baseUrl, pacer, sleep: async (ms) => void slept.push(ms), maxThrottled: 2 });
      await d.list("subscriptions", { limit: 1 });
      const error = await d.list("subscriptions", { limit: 1 }).catch((e: unknown) => e);
      // Still full after the retries: handed back to the queue for later, not counted as a failure.
      expect(error).toBeInstanceOf(RetryLaterError);
      expect((error as RetryLaterError).countsAsAttempt).toBe(false);
      expect(slept.filter((ms) => ms === 7000)).toHaveLength(2);
    } finally {
      await withHeader.stop();
    }
  });

  test("a connection that never answers times out as an outage", async () => {
    const hung: Server = createServer(() => {});
    await new Promise<void>((resolve) => hung.listen(0, "127.0.0.1", resolve));
    try {
      const base = `http://127.0.0.1:${(hung.address() as AddressInfo).port}`;
      const error = await client(TOKEN, { baseUrl: base, timeoutMs: 200, maxAttempts: 2 }).list("charges", { limit: 1 }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RechargeUnavailableError);
      expect((error as Error).message).toMatch(/no answer within 0.2 s/);
    } finally {
      hung.closeAllConnections();
      hung.close();
    }
  });
});

describe("the pacing bucket", () => {
  test("lets a full bucket's worth through at once, then one per drain interval", () => {
    const bucket = new LeakyBucket({ size: 40, leakPerSecond: 2 }, 0, 2);
    let admitted = 0;
    while (bucket.take(0) === 0) admitted++;
    expect(admitted).toBe(38);
    expect(bucket.take(0)).toBe(500);
    expect(bucket.take(500)).toBe(0);
    bucket.markFull(500);
    // Recharge said full: wait until it has drained below the headroom again.
    expect(bucket.take(500)).toBe(1500);
  });
});
