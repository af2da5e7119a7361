// /auth/login and / answer as Shopify's app template does: a login form that sends a shop
// on to Shopify, and a landing page that goes on to the app when the admin opens it.
import { describe, expect, it } from "vitest";
import * as landing from "~/routes/_index/route";
import * as login from "~/routes/auth.login/route";
import { CHROME_UA, callRoute } from "../support/admin";

const request = (path: string, form?: Record<string, string>) =>
  new Request(new URL(path, process.env.SHOPIFY_APP_URL), {
    method: form ? "POST" : "GET",
    headers: { "User-Agent": CHROME_UA, ...(form ? { "Content-Type": "application/x-www-form-urlencoded" } : {}) },
    body: form ? new URLSearchParams(form) : undefined,
  });

describe("/auth/login", () => {
  it("answers the login form, with no error yet", async () => {
    const { status, body } = await callRoute(login.loader, request("/auth/login"));
    expect(status).toBe(200);
    expect(body.errors).toEqual({});
  });

  it("asks for a shop domain when none was given, and for a valid one", async () => {
    expect((await callRoute(login.action, request("/auth/login", { shop: "" }))).body.errors).toEqual({ shop: "Enter your shop domain to log in." });
    expect((await callRoute(login.action, request("/auth/login", { shop: "not a shop!" }))).body.errors.shop).toMatch(/valid shop domain/);
  });

  it("sends a valid shop on to Shopify to install or open the app", async () => {
    const { status, response } = await callRoute(login.action, request("/auth/login", { shop: "my-store" }));
    expect(status).toBe(302);
    const location = new URL(response!.headers.get("Location")!);
    expect(location.href).toMatch(/my-store/);
    expect(location.pathname).toMatch(/\/oauth\/install$/);
    expect(location.searchParams.get("client_id")).toBe(process.env.SHOPIFY_API_KEY);
  });
});

describe("/", () => {
  it("is the landing page with the login form", async () => {
    const { status, body } = await callRoute(landing.loader, request("/"));
    expect(status).toBe(200);
    expect(body.showForm).toBe(true);
  });

  it("goes on to the app, keeping the query, when opened from the admin with a shop", async () => {
    const { status, response } = await callRoute(landing.loader, request("/?shop=my-store.myshopify.com&host=YWRtaW4&embedded=1"));
    expect(status).toBe(302);
    expect(response!.headers.get("Location")).toBe("/app?shop=my-store.myshopify.com&host=YWRtaW4&embedded=1");
  });
});
