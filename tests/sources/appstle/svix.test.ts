// Svix's signature scheme (Appstle's webhooks), checked against Svix's own published
// example, saved in ../shared/fixtures/appstle/svix-signature-test-vector.json.
import { readFileSync } from "node:fs";
import path from "node:path";
import { expect, test } from "vitest";
import { svixSignature, verifySvix } from "~/sources/svix";

const vector = JSON.parse(readFileSync(path.resolve(__dirname, "../../../../shared/fixtures/appstle/svix-signature-test-vector.json"), "utf8")) as {
  secret: string;
  headers: { "svix-id": string; "svix-timestamp": string; "svix-signature": string };
  payload: string;
};
const headers = { id: vector.headers["svix-id"], timestamp: vector.headers["svix-timestamp"], signature: vector.headers["svix-signature"] };
const signedAt = new Date(Number(vector.headers["svix-timestamp"]) * 1000);

test("Svix's published example verifies, with its id and time", () => {
  const result = verifySvix(headers, Buffer.from(vector.payload), vector.secret, signedAt);
  expect(result).toEqual({ ok: true, id: "msg_p5jXN8AQM9LWM0D4loKWxJek", timestamp: signedAt });
});

test("our signer produces Svix's signature for the example", () => {
  expect(svixSignature(headers.id, Number(headers.timestamp), vector.payload, vector.secret)).toBe(vector.headers["svix-signature"]);
});

test("one matching entry among several (a secret being rotated) is enough", () => {
  const rotated = { ...headers, signature: `v1,bm90LXRoZS1zaWduYXR1cmUtYXQtYWxsLW5vdC1pdA== v2,abc ${headers.signature}` };
  expect(verifySvix(rotated, vector.payload, vector.secret, signedAt).ok).toBe(true);
});

test("a changed body, id or timestamp, or another secret, is refused", () => {
  expect(verifySvix(headers, '{"test": 2432232315}', vector.secret, signedAt)).toEqual({ ok: false, reason: "no svix-signature entry matches" });
  expect(verifySvix({ ...headers, id: "msg_other" }, vector.payload, vector.secret, signedAt).ok).toBe(false);
  const later = String(Number(headers.timestamp) + 1);
  expect(verifySvix({ ...headers, timestamp: later }, vector.payload, vector.secret, signedAt).ok).toBe(false);
  expect(verifySvix(headers, vector.payload, "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSx", signedAt).ok).toBe(false);
});

test("a delivery outside five minutes of now is refused, one inside is accepted", () => {
  const at = (seconds: number) => new Date(signedAt.getTime() + seconds * 1000);
  expect(verifySvix(headers, vector.payload, vector.secret, at(300)).ok).toBe(true);
  expect(verifySvix(headers, vector.payload, vector.secret, at(-300)).ok).toBe(true);
  expect(verifySvix(headers, vector.payload, vector.secret, at(301))).toEqual({ ok: false, reason: "svix-timestamp is outside the tolerance window" });
  expect(verifySvix(headers, vector.payload, vector.secret, at(-301)).ok).toBe(false);
});

test("missing headers, a malformed timestamp or a secret that is not base64 are refused", () => {
  expect(verifySvix({ ...headers, signature: null }, vector.payload, vector.secret, signedAt).ok).toBe(false);
  expect(verifySvix({ ...headers, id: "" }, vector.payload, vector.secret, signedAt).ok).toBe(false);
  expect(verifySvix({ ...headers, timestamp: "2021-02-26T00:00:00Z" }, vector.payload, vector.secret, signedAt)).toEqual({ ok: false, reason: "svix-timestamp is not Unix seconds" });
  expect(verifySvix(headers, vector.payload, "whsec_", signedAt).ok).toBe(false);
  expect(verifySvix(headers, vector.payload, "whsec_not base64!", signedAt).ok).toBe(false);
});
