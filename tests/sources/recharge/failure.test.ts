// Why a Recharge charge failed, in the classes the score reads: Shopify's codes where
// error_type is one, else the words of the latest attempt in the error log.
import { expect, test } from "vitest";
import { classifyRechargeFailure, latestAttemptMessage } from "~/sources/recharge/failure";
import { rechargeFixture } from "./support";

test("the sampled max-retries charge failed on stock: inventory, from its log", () => {
  const charge = rechargeFixture("charge-error-max-retries");
  expect(classifyRechargeFailure(charge.error_type, charge.error)).toBe("inventory");
  expect(latestAttemptMessage(charge.error)).toBe("Inventory unavailable S / Black T1 6642695864491 requested qty. 1, inventory was: -1");
});

test("an error_type that is one of Shopify's codes keeps Shopify's class, in any case", () => {
  expect(classifyRechargeFailure("INSUFFICIENT_FUNDS", null)).toBe("soft_decline");
  expect(classifyRechargeFailure("expired_payment_method", null)).toBe("hard_decline");
  expect(classifyRechargeFailure("INSUFFICIENT_INVENTORY", "Your card was declined")).toBe("inventory");
});

test("processor messages: funds, declines and processing errors are soft; expired, invalid or missing methods hard", () => {
  expect(classifyRechargeFailure(null, "Your card has insufficient funds.")).toBe("soft_decline");
  expect(classifyRechargeFailure("CLOSED_MAX_RETRIES_REACHED", "Your card was declined.")).toBe("soft_decline");
  expect(classifyRechargeFailure(null, "An error occurred while processing your card. Try again in a little bit.")).toBe("soft_decline");
  expect(classifyRechargeFailure(null, "Your card has expired.")).toBe("hard_decline");
  expect(classifyRechargeFailure(null, "Invalid card number")).toBe("hard_decline");
  expect(classifyRechargeFailure(null, "Your card number is incorrect.")).toBe("hard_decline");
  expect(classifyRechargeFailure("CLOSED_MAX_RETRIES_REACHED", "Customer has no payment method")).toBe("hard_decline");
  // A hard word beats a soft one: an expired card is declined too.
  expect(classifyRechargeFailure(null, "Card declined: expired card")).toBe("hard_decline");
});

test("only the latest attempt's message counts: a log that ends in a decline after stock errors is a decline", () => {
  const log = "None\r\n [May 12, 12:06AM] ['Inventory unavailable S / Black']\r\n [May 13,  4:10PM] ['Your card was declined.']";
  expect(classifyRechargeFailure("CLOSED_MAX_RETRIES_REACHED", log)).toBe("soft_decline");
});

test("nothing to go on is other", () => {
  expect(classifyRechargeFailure(null, null)).toBe("other");
  expect(classifyRechargeFailure("CLOSED_MAX_RETRIES_REACHED", "None")).toBe("other");
  expect(classifyRechargeFailure("SOMETHING_NEW", "Something unexpected happened")).toBe("other");
  expect(latestAttemptMessage("None")).toBeNull();
  expect(latestAttemptMessage("None\r\n [May 12, 12:06AM] ['None']")).toBeNull();
});
