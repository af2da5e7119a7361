// The settings page in a real browser, on the production server and a seeded store that has
// not connected Klaviyo yet: saving the private key through the form, checked against the local
// Klaviyo server, and the key never coming back to the browser in any form.
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Response } from "playwright-core";
import { BROWSER_APP_TIMEOUT, startBrowserApp, type BrowserApp } from "./harness";

let app: BrowserApp;

beforeAll(async () => {
  app = await startBrowserApp({ subscribers: 120, klaviyoConnected: false });
}, BROWSER_APP_TIMEOUT);

afterAll(async () => {
  await app?.stop();
});

describe("the settings page in a browser", () => {
  it("connects Klaviyo with a private key that never comes back to the browser", async () => {
    const key = `pk_settings_${randomBytes(12).toString("hex")}`;
    // Every body the browser receives from the app, read as text, from before the page opens.
    const bodies: Promise<{ url: string; text: string }>[] = [];
    const onResponse = (response: Response) => {
      if (!response.url().startsWith(app.url)) return;
      bodies.push(
        response.body().then(
          (b) => ({ url: response.url(), text: b.toString("utf8") }),
          () => ({ url: response.url(), text: "" }), // redirects and aborted answers have no body
        ),
      );
    };
    app.context.on("response", onResponse);
    try {
      const page = await app.open("/app/settings");
      await page.getByRole("heading", { name: "Settings", level: 1 }).waitFor();
      const klaviyo = page.getByRole("region", { name: "Klaviyo connection" });
      await klaviyo.getByText("Not connected", { exact: true }).waitFor();
      expect(app.query(`SELECT shop FROM KlaviyoConnection WHERE shop = ?`, app.shop)).toEqual([]);

      const field = page.getByLabel("Private API key");
      await field.fill(key);
      const requestsBefore = app.klaviyo.requests.length;
      await Promise.all([
        page.waitForResponse((r) => r.request().method() === "POST" && r.url().includes("/app/settings")),
        page.getByRole("button", { name: "Connect", exact: true }).click(),
      ]);
      await klaviyo.getByText("Connected", { exact: true }).waitFor();
      await page.getByText(/^Connected as .*key checked/).waitFor();
      await page.getByRole("button", { name: "Replace key" }).waitFor();
      await page.waitForLoadState("networkidle");
      expect(await field.inputValue()).toBe("");

      // Checked with Klaviyo before it was stored, and stored encrypted.
      const checks = app.klaviyo.requests.slice(requestsBefore);
      expect(checks.length).toBeGreaterThan(0);
      expect(checks.every((r) => r.authorized)).toBe(true);
      const [stored] = app.query<{ encryptedKey: string }>(`SELECT encryptedKey FROM KlaviyoConnection WHERE shop = ?`, app.shop);
      expect(stored.encryptedKey).not.toContain(key);
      expect(stored.encryptedKey).not.toContain(key.slice(3));

      expect(await page.content()).not.toContain(key);
      await page.reload();
      await page.getByRole("button", { name: "Replace key" }).waitFor();
      await page.waitForLoadState("networkidle");
      expect(await page.content()).not.toContain(key);
      await app.screenshot(page, "settings-connected", { fullPage: false });
      await app.screenshot(page, "settings");
      const values = await page.locator("input, textarea, select").evaluateAll((els) => els.map((e) => (e as HTMLInputElement).value));
      expect(values.length).toBeGreaterThan(5);
      for (const v of values) expect(v).not.toContain(key);

      const received = await Promise.all(bodies);
      // The form's answer and the reloads' documents and data are among them.
      expect(received.some((r) => r.url.includes("/app/settings") && r.text.includes("Connected to Klaviyo"))).toBe(true);
      expect(received.filter((r) => r.url.includes("/app/settings")).length).toBeGreaterThanOrEqual(3);
      expect(received.filter((r) => r.text.includes(key)).map((r) => r.url)).toEqual([]);
      expect(app.problems()).toEqual([]);
      await page.close();
    } finally {
      app.context.off("response", onResponse);
    }
  });
});
