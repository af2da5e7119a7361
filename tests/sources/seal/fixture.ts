// The captured Seal subscription/created body (../shared/fixtures/seal/), and the changes
// to it that the capture's author describes for the other topics, for Seal's tests.
import { readFileSync } from "node:fs";
import path from "node:path";

const DIR = path.resolve(__dirname, "../../../../shared/fixtures/seal");

export type SealBody = Record<string, unknown>;

/** A fresh copy of the captured subscription/created body. */
export function capturedBody(): SealBody {
  return JSON.parse(readFileSync(path.join(DIR, "subscription-created.partial.json"), "utf8")) as SealBody;
}

export function capturedHeaders(): Record<string, string> {
  return JSON.parse(readFileSync(path.join(DIR, "webhook-headers.json"), "utf8")) as Record<string, string>;
}

/** The capture with changes; `log` entries are appended, as Seal's activity log grows. */
export function sealBody(changes: SealBody & { addLog?: { content: string; created: string }[] } = {}): SealBody {
  const { addLog, ...rest } = changes;
  const base = capturedBody();
  const body = { ...base, ...rest };
  if (addLog) body.log = [...(base.log as unknown[]), ...addLog];
  return body;
}

export const attempt = (id: number, date: string, status: string, errorCode = "", errorMessage = "") => ({
  id,
  date,
  status,
  order_id: status === "succeeded" ? "7092928086999" : "",
  error_code: errorCode,
  error_message: errorMessage,
});
