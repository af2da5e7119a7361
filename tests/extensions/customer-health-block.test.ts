// @vitest-environment jsdom
// The health block on Shopify's customer page, rendered by Shopify's extension tester
// against the block's own shopify.extension.toml, with the app's answer stubbed.
import path from "node:path";
import { getExtension } from "@shopify/ui-extensions-tester";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { CustomerHealth } from "../../extensions/customer-health-block/src/health";

const extension = getExtension("admin.customer-details.block.render", {
  configSearchDir: path.resolve(__dirname, "../../extensions/customer-health-block"),
});

const AT_RISK: CustomerHealth = {
  score: 34,
  band: "at_risk",
  bandSince: "2026-11-20T00:00:00.000Z",
  scoredAt: "2026-11-29T00:00:00.000Z",
  reasons: [
    { text: "Skipped the last 2 orders in a row", effect: "risk" },
    { text: "A payment failed 3 days ago", effect: "risk" },
    { text: "A subscriber for over a year", effect: "helps" },
  ],
  thisWeek: "review",
  subscriberPath: "/app/subscribers/sub_42",
};

beforeEach(() => {
  extension.setUp();
  extension.shopify.data.selected = [{ id: "gid://shopify/Customer/7012345678901" }];
});
afterEach(() => extension.tearDown());

function answer(status: number, body?: unknown) {
  const fetch = vi.fn(async () => new Response(body === undefined ? "Not found" : JSON.stringify(body), { status }));
  extension.fetch = fetch;
  return fetch;
}

const text = (selector: string) => [...document.body.querySelectorAll(selector)].map((e) => e.textContent?.trim());

describe("the subscriber health block", () => {
  it("asks the app about the customer on the page and shows score, band, top reasons and a link", async () => {
    const fetch = answer(200, AT_RISK);
    await extension.render();
    await vi.waitFor(() => expect(text("s-badge")).toEqual(["At risk"]));

    expect(fetch).toHaveBeenCalledWith("/api/customer-health/7012345678901");
    expect(document.body.querySelector("s-admin-block")?.getAttribute("heading")).toBe("Subscriber health");
    expect(document.body.querySelector("s-badge")?.getAttribute("tone")).toBe("warning");
    expect(text("s-text")).toContain("Health score 34 of 100");
    expect(text("s-text")).toContain("On this week's at-risk list");
    expect(text("s-list-item")).toEqual([
      "Risk: Skipped the last 2 orders in a row",
      "Risk: A payment failed 3 days ago",
      "Helps: A subscriber for over a year",
    ]);
    const link = document.body.querySelector("s-link");
    expect(link?.textContent).toBe("View in Lifeline");
    expect(link?.getAttribute("href")).toBe("app:/app/subscribers/sub_42");
  });

  it("shows a cancelled subscriber as cancelled, never as critical", async () => {
    answer(200, { ...AT_RISK, score: 0, band: "critical", thisWeek: "cancelled" });
    await extension.render();
    await vi.waitFor(() => expect(text("s-badge")).toEqual(["Cancelled"]));
    expect(text("s-text")).not.toContain("On this week's at-risk list");
  });

  it("says when they became at risk this week and recovered since", async () => {
    answer(200, { ...AT_RISK, score: 80, band: "healthy", thisWeek: "recovered" });
    await extension.render();
    await vi.waitFor(() => expect(text("s-badge")).toEqual(["Healthy"]));
    expect(text("s-text")).toContain("Became at risk this week, recovered since");
  });

  it("says so when the customer has no subscription the app knows of", async () => {
    answer(404);
    await extension.render();
    await vi.waitFor(() => expect(text("s-text")).toEqual(["This customer has no subscription Lifeline knows of."]));
    expect(document.body.querySelector("s-badge")).toBeNull();
  });

  it("shows an error banner when the app fails", async () => {
    answer(500, { error: "boom" });
    await extension.render();
    await vi.waitFor(() => expect(text("s-banner")).toEqual(["Lifeline could not load this customer's health (500)."]));
  });
});
