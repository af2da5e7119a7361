import { readFileSync, existsSync } from "node:fs";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { startKlaviyoServer, type KlaviyoServer } from "../../simulator/klaviyo-server";
import { open, seal } from "~/crypto/secret-box.server";
import { klaviyoStatus, loadKlaviyoKey, saveKlaviyoKey, sendTestEvents } from "~/models/klaviyo-connection.server";
import { createLogger } from "~/log.server";
import { LIFELINE_METRIC_NAMES } from "~/playbook/metrics";
import { createWorkers } from "~/workers.server";
import { T0, createSubscriber, deliverAll, fakeClock, fireSkipStreak, playsWorker, prisma, subscriberIdFor } from "./support";

const KEY = "pk_secret_0123456789abcdefTOPSECRET";
let sim: KlaviyoServer;
let shop = "";
let n = 0;

beforeAll(async () => {
  // Only KEY is a real key here; anything else is refused like a revoked key.
  sim = await startKlaviyoServer({ keys: { [KEY]: ["events:write", "profiles:write", "accounts:read"] } });
});
afterAll(() => sim.stop());
beforeEach(() => {
  sim.reset();
  shop = `connect-${++n}.myshopify.com`;
});

describe("secret box", () => {
  it("round-trips, and sealing twice gives two different texts", () => {
    const a = seal(KEY, shop);
    const b = seal(KEY, shop);
    expect(a).not.toBe(b);
    expect(a.startsWith("v1.")).toBe(true);
    expect(a).not.toContain(KEY);
    expect(open(a, shop)).toBe(KEY);
  });

  it("refuses altered text, another shop's context, and another key", () => {
    const sealed = seal(KEY, shop);
    const parts = sealed.split(".");
    const flipped = Buffer.from(parts[3], "base64url");
    flipped[0] ^= 1;
    const altered = [...parts.slice(0, 3), flipped.toString("base64url")].join(".");
    expect(() => open(altered, shop)).toThrow(/could not be decrypted/);
    expect(() => open(sealed, "other.myshopify.com")).toThrow(/could not be decrypted/);
    expect(() => open(sealed, shop, "ff".repeat(32))).toThrow(/could not be decrypted/);
    expect(() => open("plain-text", shop)).toThrow(/Unrecognised/);
  });
});

describe("connecting Klaviyo", () => {
  it("a key Klaviyo rejects is not stored, and the merchant is told why", async () => {
    const result = await saveKlaviyoKey(shop, "pk_revoked_key_000", { basePath: sim.baseUrl });
    expect(result).toEqual({ ok: false, error: "Klaviyo rejected this API key. Check it was copied in full and not revoked." });
    expect(await klaviyoStatus(shop)).toEqual({ connected: false, accountName: null, validatedAt: null });
    expect(await prisma.klaviyoConnection.count({ where: { shop } })).toBe(0);
  });

  it("a valid key is stored encrypted; the status names the account and never carries the key", async () => {
    const result = await saveKlaviyoKey(shop, `  ${KEY}\n`, { basePath: sim.baseUrl, now: T0 });
    const status = { connected: true, accountName: "Simulated Store", validatedAt: T0 };
    expect(result).toEqual({ ok: true, status });
    expect(await klaviyoStatus(shop)).toEqual(status);
    const row = await prisma.klaviyoConnection.findUniqueOrThrow({ where: { shop } });
    expect(row.encryptedKey).not.toContain(KEY);
    expect(await loadKlaviyoKey(shop)).toBe(KEY);
  });

  it("test events create every Lifeline metric once, however often they are sent", async () => {
    await saveKlaviyoKey(shop, KEY, { basePath: sim.baseUrl });
    const first = await sendTestEvents(shop, "owner@example.com", { basePath: sim.baseUrl });
    await sendTestEvents(shop, "owner@example.com", { basePath: sim.baseUrl });
    expect(first.ok && first.sent.every((s) => s.ok)).toBe(true);
    expect(sim.events.map((e) => e.metric).sort()).toEqual([...LIFELINE_METRIC_NAMES].sort());
    expect(sim.duplicates).toHaveLength(LIFELINE_METRIC_NAMES.length);
  });

  it("test events need a connection and an email address", async () => {
    expect(await sendTestEvents(shop, "owner@example.com", { basePath: sim.baseUrl })).toEqual({
      ok: false,
      error: "Connect Klaviyo first: save your private API key.",
    });
    await saveKlaviyoKey(shop, KEY, { basePath: sim.baseUrl });
    expect(await sendTestEvents(shop, "not an email", { basePath: sim.baseUrl })).toMatchObject({ ok: false });
  });
});

describe("the key stays secret", () => {
  const spies: ReturnType<typeof vi.spyOn>[] = [];
  beforeEach(() => {
    for (const level of ["log", "info", "warn", "error", "debug"] as const) {
      spies.push(vi.spyOn(console, level).mockImplementation(() => {}));
    }
  });
  afterEach(() => {
    spies.splice(0).forEach((s) => s.mockRestore());
  });

  it("appears in no result, no log line and nowhere in the database file", async () => {
    const results: unknown[] = [];
    results.push(await saveKlaviyoKey(shop, KEY, { basePath: sim.baseUrl }));
    results.push(await klaviyoStatus(shop));
    results.push(await sendTestEvents(shop, "owner@example.com", { basePath: sim.baseUrl }));

    // Plays through failures, with the worker's logger at "info", which writes every failure.
    const clock = fakeClock(T0);
    const id = await createSubscriber(shop, subscriberIdFor(shop, "skip-streak", false));
    await fireSkipStreak(shop, id, T0);
    sim.failNext(1, 500);
    const lines: string[] = [];
    const log = createLogger({ level: "info", destination: { write: (line: string) => void lines.push(line) } });
    const loud = createWorkers({ now: clock.now, log, klaviyo: { basePath: sim.baseUrl } }).plays;
    await deliverAll(loud, clock, shop);
    await deliverAll(playsWorker(clock, sim.baseUrl), clock, shop);
    // A key revoked after connecting: Klaviyo's 401 ends up in the play's error and the logs.
    await prisma.klaviyoConnection.update({ where: { shop }, data: { encryptedKey: seal("pk_revoked_after_connect", shop) } });
    const other = await createSubscriber(shop, subscriberIdFor(shop, "skip-streak", false, `${shop}-b`));
    await fireSkipStreak(shop, other, T0);
    await deliverAll(loud, clock, shop);
    results.push(await prisma.playDelivery.findMany({ where: { shop } }));

    expect(sim.events).toHaveLength(LIFELINE_METRIC_NAMES.length + 1);
    expect(lines.filter((l) => l.includes('"msg":"job failed"')).length).toBeGreaterThan(0); // the failures were logged...
    const logged = [...lines, ...spies.flatMap((s) => s.mock.calls).map((args) => args.map(String).join(" "))].join("\n");
    expect(logged).not.toContain(KEY); // ...without the key
    expect(logged).not.toContain("pk_revoked_after_connect");
    expect(JSON.stringify(results)).not.toContain(KEY);

    const file = process.env.DATABASE_URL!.replace(/^file:/, "");
    const bytes = Buffer.concat([file, `${file}-wal`].filter(existsSync).map((f) => readFileSync(f)));
    expect(bytes.includes(Buffer.from(`${id}@example.com`))).toBe(true); // the check sees written rows...
    expect(bytes.includes(Buffer.from(KEY))).toBe(false); // ...and the key is not among them
    expect(bytes.includes(Buffer.from("TOPSECRET"))).toBe(false);
  });
});
