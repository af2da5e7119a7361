import { expect, test } from "vitest";
import { ConfigError, parseConfig } from "~/config.server";

const valid = {
  SHOPIFY_API_KEY: "key",
  SHOPIFY_API_SECRET: "secret",
  SHOPIFY_APP_URL: "https://lifeline.example",
  SCOPES: "read_own_subscription_contracts",
  DATABASE_URL: "file:./prisma/dev.db",
  ENCRYPTION_KEY: "ab".repeat(32),
};

test("a complete environment parses, with defaults for the Klaviyo base URL and port", () => {
  const config = parseConfig(valid);
  expect(config.KLAVIYO_API_BASE_URL).toBe("https://a.klaviyo.com");
  expect(config.PORT).toBe(3000);
});

test("boot fails naming every missing or malformed variable", () => {
  const { SHOPIFY_API_SECRET: _s, SCOPES: _c, ...rest } = valid;
  let error: unknown;
  try {
    parseConfig({ ...rest, ENCRYPTION_KEY: "short", DATABASE_URL: "mysql://x", PORT: "eighty" });
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(ConfigError);
  const message = (error as Error).message;
  for (const name of ["SHOPIFY_API_SECRET: missing", "SCOPES: missing", "ENCRYPTION_KEY", "DATABASE_URL", "PORT"]) {
    expect(message).toContain(name);
  }
  expect(message).not.toContain("SHOPIFY_API_KEY");
});

test("a PostgreSQL URL is accepted by the configuration (the scale path)", () => {
  expect(parseConfig({ ...valid, DATABASE_URL: "postgres://u:p@127.0.0.1:5432/lifeline" }).DATABASE_URL).toMatch(/^postgres/);
});
