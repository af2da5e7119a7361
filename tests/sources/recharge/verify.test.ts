// Recharge's two signature schemes, exactly as fixtures/recharge/SOURCES.md records them,
// and how a verified delivery is named (topic from the address, key from the object's version).
import { createHmac } from "node:crypto";
import { describe, expect, test } from "vitest";
import { verifyRecharge, NO_TOPIC } from "~/sources/recharge/verify";
import { CLIENT_SECRET, legacyHash, rechargeFixture, timestampedSignature } from "./support";

const NOW = new Date("2026-05-01T12:00:00Z");
const T = NOW.getTime() / 1000;
const ADDRESS = "https://lifeline.test/api/sources/recharge/shop.myshopify.com?topic=subscription/cancelled";
const raw = JSON.stringify({ subscription: rechargeFixture("subscription") });

function verify(headers: Record<string, string>, opts: { body?: string; url?: string | undefined; secret?: string } = {}) {
  const lower = new Map(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
  return verifyRecharge({
    rawBody: Buffer.from(opts.body ?? raw),
    header: (name) => lower.get(name.toLowerCase()) ?? null,
    url: "url" in opts ? opts.url : ADDRESS,
    credentials: { accessToken: "tok", clientSecret: opts.secret ?? CLIENT_SECRET },
    appSecret: "shopify-secret",
    now: NOW,
  });
}
const signed = (t = T, body = raw, secret = CLIENT_SECRET) => ({ "X-Recharge-Webhook-Timestamp": String(t), "X-Recharge-Webhook-Signature": timestampedSignature(body, secret, t) });

describe("the timestamp-bound scheme", () => {
  test("a v1 HMAC of \"<t>.<body>\" under the client secret is accepted, named by topic, id and updated_at", () => {
    expect(verify(signed())).toEqual({
      ok: true,
      topic: "subscription/cancelled",
      deliveryKey: "subscription/cancelled:153601366:2023-05-13T04:07:32.000Z",
      triggeredAt: new Date("2023-05-13T04:07:32+00:00"),
    });
  });

  test("pairs are read by key, in any order, and a later version's pair is ignored", () => {
    const v1 = timestampedSignature(raw, CLIENT_SECRET, T).split(",")[1];
    expect(verify({ "X-Recharge-Webhook-Signature": `v2=abc123, ${v1}, t=${T}` }).ok).toBe(true);
  });

  test("a signature by another secret, over another body, or with another t is refused", () => {
    expect(verify(signed(T, raw, "another-secret"))).toMatchObject({ ok: false, status: 401, reason: "invalid signature" });
    expect(verify(signed(T, raw.replace("active", "paused")))).toMatchObject({ ok: false, status: 401 });
    const forOtherT = timestampedSignature(raw, CLIENT_SECRET, T - 60).split(",")[1];
    expect(verify({ "X-Recharge-Webhook-Signature": `t=${T},${forOtherT}` })).toMatchObject({ ok: false, status: 401 });
    expect(verify({ "X-Recharge-Webhook-Signature": `t=${T},v1=zz` })).toMatchObject({ ok: false, status: 401 });
  });

  test("the hex must be the whole digest; upper case digits are the same bytes", () => {
    const [t, v1] = timestampedSignature(raw, CLIENT_SECRET, T).split(",");
    expect(verify({ "X-Recharge-Webhook-Signature": `${t},${v1.slice(0, -2)}` }).ok).toBe(false);
    expect(verify({ "X-Recharge-Webhook-Signature": `${t},v1=${v1.slice(3).toUpperCase()}` }).ok).toBe(true);
  });

  test("a timestamp more than 48 hours from now is refused, in either direction; 48 hours exactly is not", () => {
    expect(verify(signed(T - 172_801))).toMatchObject({ ok: false, status: 401, reason: expect.stringContaining("48 hours") });
    expect(verify(signed(T + 172_801))).toMatchObject({ ok: false, status: 401 });
    expect(verify(signed(T - 172_800)).ok).toBe(true);
  });

  test("the timestamp header stands in for a missing t, and must agree with a given one", () => {
    const v1 = timestampedSignature(raw, CLIENT_SECRET, T).split(",")[1];
    expect(verify({ "X-Recharge-Webhook-Timestamp": String(T), "X-Recharge-Webhook-Signature": v1 }).ok).toBe(true);
    expect(verify({ "X-Recharge-Webhook-Signature": v1 })).toMatchObject({ ok: false, status: 401, reason: "the signature has no timestamp" });
    expect(verify({ ...signed(), "X-Recharge-Webhook-Timestamp": String(T + 1) })).toMatchObject({ ok: false, status: 401 });
  });

  test("when the timestamp-bound header fails, a valid legacy hash beside it does not rescue the delivery", () => {
    const headers = { ...signed(T, raw, "another-secret"), "X-Recharge-Hmac-Sha256": legacyHash(raw, CLIENT_SECRET) };
    expect(verify(headers)).toMatchObject({ ok: false, status: 401 });
    const stale = { ...signed(T - 200_000), "X-Recharge-Hmac-Sha256": legacyHash(raw, CLIENT_SECRET) };
    expect(verify(stale)).toMatchObject({ ok: false, status: 401 });
  });
});

describe("the legacy scheme", () => {
  test("hex SHA-256 of client secret then body is accepted alone", () => {
    expect(verify({ "X-Recharge-Hmac-Sha256": legacyHash(raw, CLIENT_SECRET) })).toMatchObject({ ok: true, topic: "subscription/cancelled" });
  });

  test("an HMAC, the body before the secret, or another secret is refused", () => {
    const hmac = createHmacHex(raw, CLIENT_SECRET);
    const reversed = legacyHash(CLIENT_SECRET, raw);
    for (const value of [hmac, reversed, legacyHash(raw, "another-secret")]) {
      expect(verify({ "X-Recharge-Hmac-Sha256": value })).toMatchObject({ ok: false, status: 401, reason: "invalid legacy hash" });
    }
  });
});

test("with neither header the delivery is refused as malformed", () => {
  expect(verify({})).toMatchObject({ ok: false, status: 400 });
});

test("with no client secret stored nothing can be verified", () => {
  expect(verify(signed(), { secret: "" })).toMatchObject({ ok: false, status: 401 });
});

test("an address without a topic, or an unreadable body, still verifies: kept, then dead-lettered", () => {
  expect(verify(signed(), { url: "https://lifeline.test/api/sources/recharge/shop.myshopify.com" })).toMatchObject({ ok: true, topic: NO_TOPIC });
  expect(verify(signed(), { url: undefined })).toMatchObject({ ok: true, topic: NO_TOPIC });
  const body = "{not json";
  const result = verify(signed(T, body), { body });
  expect(result).toMatchObject({ ok: true, topic: "subscription/cancelled", triggeredAt: null });
  if (result.ok) expect(result.deliveryKey).toMatch(/^subscription\/cancelled:\?:sha256:[0-9a-f]{64}$/);
});

test("a redelivery has the delivery key of the first; a new version of the object has another", () => {
  const first = verify(signed());
  const again = verify(signed(T + 30));
  const changed = JSON.stringify({ subscription: { ...rechargeFixture("subscription"), updated_at: "2023-06-01T00:00:00+00:00" } });
  const next = verify(signed(T, changed), { body: changed });
  expect(first.ok && again.ok && next.ok).toBe(true);
  if (first.ok && again.ok && next.ok) {
    expect(again.deliveryKey).toBe(first.deliveryKey);
    expect(next.deliveryKey).not.toBe(first.deliveryKey);
  }
});

function createHmacHex(body: string, secret: string): string {
  return createHmac("sha256", secret).update(body).digest("hex");
}
