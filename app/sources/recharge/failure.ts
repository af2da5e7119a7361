import { classifyFailure, normaliseErrorCode } from "../../domain/failure-class";
import type { FailureClass } from "../../domain/timeline";

/**
 * Why a Recharge charge failed, in the classes the score reads. Recharge names a failed
 * charge's cause in `error_type` and logs each attempt's processor message in `error`.
 * The only error_type in the samples is CLOSED_MAX_RETRIES_REACHED (a state, not a cause:
 * the sample's log says the cause was stock), and Recharge's list of error_type values was
 * not readable offline, so the class comes from:
 * 1. an error_type that is one of Shopify's billing error codes (the same class as there);
 * 2. else the words of the latest attempt's message (inventory, soft and hard declines);
 * 3. else "other".
 */
const INVENTORY_TEXT = /inventory|out of stock|stock unavailable|insufficient stock|sold out/i;
const HARD_TEXT =
  /expired|invalid (card|payment|account|number)|incorrect (card )?number|number is (incorrect|invalid)|no (valid )?payment method|payment method (not found|missing|removed)|(lost|stolen) card|card (reported )?(lost|stolen)|fraud|do not honou?r|card (was )?(revoked|closed)|account closed/i;
const SOFT_TEXT = /insufficient funds|declined|decline|processing error|try again|temporar|timeout|timed out|gateway|authentication/i;

export function classifyRechargeFailure(errorType: string | null | undefined, errorText: string | null | undefined): FailureClass {
  const shopifyClass = classifyFailure(errorType);
  if (shopifyClass !== "other") return shopifyClass;
  const message = latestAttemptMessage(errorText) ?? "";
  // The type's own words count too (e.g. a hypothetical CARD_EXPIRED).
  const words = `${(normaliseErrorCode(errorType) ?? "").replace(/_/g, " ")} ${message}`;
  if (INVENTORY_TEXT.test(words)) return "inventory";
  if (HARD_TEXT.test(words)) return "hard_decline";
  if (SOFT_TEXT.test(words)) return "soft_decline";
  return "other";
}

/**
 * The last attempt's line of Recharge's retry log ("None\r\n [May 12, 12:06AM] ['...']\r\n ..."),
 * without its date and brackets; the text as sent when it is not a log. Null when empty.
 */
export function latestAttemptMessage(errorText: string | null | undefined): string | null {
  if (errorText == null) return null;
  const lines = errorText
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== "" && l !== "None");
  const last = lines.at(-1);
  if (last === undefined) return null;
  const message = last
    .replace(/^\[[^\]]*\]\s*/, "")
    .replace(/^\[\s*'(.*)'\s*\]$/s, "$1")
    .trim();
  return message === "" || message === "None" ? null : message.slice(0, 500);
}
