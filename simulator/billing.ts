/**
 * Billing and dunning across a subscriber's contracts, in time order, so a shared
 * card's state (lapsed, replaced) is seen consistently by every contract.
 */
import { ERROR_MESSAGES } from "./catalog";
import type { ChurnProfile } from "./behaviour";
import { DAY, HOUR, MINUTE } from "./options";
import type { Rng } from "./random";
import type { SimFact } from "./types";
import type { Wallet } from "./wallet";

export const ORDER_ID_BASE = 5_400_000_000_000;
export const ATTEMPT_ID_BASE = 3_100_000_000_000;

/** Per-contract billing state; `seq` keeps order and attempt ids unique store-wide. */
export interface BillingAccount {
  contract: number;
  seq: number;
  cycleMonths: number;
  /** No billing at or after this (voluntary cancel, expiry, end of simulation). */
  stopAt: number;
  /** Set when dunning is exhausted and the contract fails. */
  failAt: number | null;
  counter: number;
}

export interface Due {
  contract: number;
  at: number;
}

type FailureKind = "soft" | "hard" | "expired" | "inventory" | "other";

interface Failure {
  kind: FailureKind;
  code: string | null;
  message: string | null;
}

/** Sends the code as some gateways/apps do: sometimes lower-case, with the code as the message. */
function failure(rng: Rng, p: ChurnProfile, kind: FailureKind, code: string | null): Failure {
  if (code == null) return { kind, code: null, message: null };
  if (rng.chance(p.lowerCaseCodeShare)) return { kind, code: code.toLowerCase(), message: code.toLowerCase() };
  return { kind, code, message: ERROR_MESSAGES[code] ?? null };
}

/** What a first attempt runs into. Rates are per month of cover so short cycles aren't over-penalised. */
function drawFailure(rng: Rng, p: ChurnProfile, months: number): Failure | "challenged" | null {
  let r = rng.next() / months;
  if ((r -= p.softDeclinePerMonth) < 0) return failure(rng, p, "soft", rng.weighted(p.softCodes));
  if ((r -= p.hardDeclinePerMonth) < 0) return failure(rng, p, "hard", rng.weighted(p.hardCodes));
  if ((r -= p.inventoryPerMonth) < 0) return failure(rng, p, "inventory", "INSUFFICIENT_INVENTORY");
  if ((r -= p.nullCodePerMonth) < 0) return failure(rng, p, "other", null);
  if ((r -= p.unknownCodePerMonth) < 0) return failure(rng, p, "other", "SOME_NEW_CODE");
  if ((r -= p.challengedPerMonth) < 0) return "challenged";
  return null;
}

export function runBilling(rng: Rng, p: ChurnProfile, dues: Due[], accounts: BillingAccount[], wallet: Wallet, facts: SimFact[], endMs: number): void {
  dues.sort((a, b) => a.at - b.at || a.contract - b.contract);

  const attempt = (acc: BillingAccount, at: number, topic: "success" | "failure" | "challenged", f: Failure | null, orderId: number | null) => {
    acc.counter++;
    facts.push({
      kind: "billing",
      at,
      contract: acc.contract,
      topic,
      attemptId: rng.chance(p.nullAttemptIdShare) ? null : ATTEMPT_ID_BASE + acc.seq * 1000 + acc.counter,
      idempotencyKey: rng.uuid(),
      orderId,
      errorCode: f?.code ?? null,
      errorMessage: f?.message ?? null,
    });
  };
  const newOrder = (acc: BillingAccount) => ORDER_ID_BASE + acc.seq * 1000 + acc.counter + 1;
  const open = (acc: BillingAccount, t: number) => acc.failAt == null && t < acc.stopAt && t < endMs;

  for (const due of dues) {
    const acc = accounts[due.contract];
    // Billing jobs run shortly after the scheduled time.
    let t = due.at + rng.uniform(1, 40) * MINUTE;
    if (!open(acc, t)) continue;

    let f: Failure | null;
    if (!wallet.validAt(t)) {
      f = failure(rng, p, "expired", "EXPIRED_PAYMENT_METHOD");
    } else {
      const drawn = drawFailure(rng, p, acc.cycleMonths);
      if (drawn === "challenged") {
        // 3DS: the bank asks the customer to confirm; most do within hours.
        const orderId = newOrder(acc);
        attempt(acc, t, "challenged", null, orderId);
        t += rng.uniform(0.1, 20) * HOUR;
        if (!open(acc, t)) continue;
        if (rng.chance(p.challengeCompletesShare)) {
          attempt(acc, t, "success", null, orderId);
          continue;
        }
        f = failure(rng, p, "soft", "AUTHENTICATION_ERROR");
      } else {
        f = drawn;
      }
    }
    if (!f) {
      attempt(acc, t, "success", null, newOrder(acc));
      continue;
    }

    // Dunning: the first failure, then retries a few days apart.
    let fixedAt: number | null = null;
    let recovered = false;
    let stillOpen = true;
    for (let n = 1; n <= p.dunningAttempts; n++) {
      if (n > 1) {
        t += (f.kind === "hard" || f.kind === "expired" ? rng.uniform(2, 4) : rng.uniform(1, 3)) * DAY;
        if (!open(acc, t)) {
          stillOpen = false;
          break;
        }
        if (retrySucceeds(rng, p, f.kind, t, wallet, fixedAt)) {
          attempt(acc, t, "success", null, newOrder(acc));
          recovered = true;
          break;
        }
      }
      attempt(acc, t, "failure", f, null);
      if (n === 1 && (f.kind === "hard" || f.kind === "expired")) {
        fixedAt = wallet.react(t, p.hardActShare, f.kind === "expired");
      }
    }
    if (recovered || !stillOpen) continue;
    const failAt = t + rng.uniform(1, 6) * HOUR;
    if (open(acc, failAt)) {
      acc.failAt = failAt;
      facts.push({ kind: "contract", at: failAt, contract: acc.contract, topic: "fail", revision: 0 });
    }
  }
}

function retrySucceeds(rng: Rng, p: ChurnProfile, kind: FailureKind, t: number, wallet: Wallet, fixedAt: number | null): boolean {
  switch (kind) {
    case "soft":
      return rng.chance(p.softRetrySuccess);
    case "inventory":
      return rng.chance(p.inventoryRetrySuccess);
    case "other":
      return rng.chance(p.otherRetrySuccess);
    case "expired":
      return wallet.validAt(t);
    case "hard":
      return fixedAt != null && t >= fixedAt;
  }
}
