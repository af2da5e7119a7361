// The Flow trigger's shopify.extension.toml against Flow's rules (refused only at deploy,
// so checked here), and against the payload the app sends.
import { readFileSync } from "node:fs";
import path from "node:path";
import { parse } from "smol-toml";
import { describe, expect, it } from "vitest";
import { FLOW_FIELD_KEYS, FLOW_TRIGGER_HANDLE, bandChangePayload } from "~/playbook/flow-trigger";

const TOML = path.resolve(__dirname, "../../extensions/health-band-changed/shopify.extension.toml");
const CUSTOM_TYPES = ["boolean", "email", "single_line_text_field", "url", "number_decimal"];
const REFERENCE_TYPES: Record<string, string> = {
  customer_reference: "customer_id",
  order_reference: "order_id",
  product_reference: "product_id",
};

interface Field {
  type: string;
  key?: string;
  description?: string;
}
const config = parse(readFileSync(TOML, "utf8")) as unknown as { extensions: Array<Record<string, unknown>>; settings: { fields: Field[] } };
const extension = config.extensions[0];
const fields = config.settings.fields;

describe("the health band changed Flow trigger's configuration", () => {
  it("is one flow_trigger whose handle is at most 30 letters, digits and hyphens, and is the one the app fires", () => {
    expect(config.extensions).toHaveLength(1);
    expect(extension.type).toBe("flow_trigger");
    expect(extension.handle).toBe(FLOW_TRIGGER_HANDLE);
    expect(String(extension.handle).length).toBeLessThanOrEqual(30);
    expect(extension.handle).toMatch(/^[a-z0-9-]+$/i);
    expect(String(extension.name).length).toBeGreaterThan(0);
  });

  it("refers to the customer, and every custom field has a letters-and-spaces key and an allowed type", () => {
    expect(fields.filter((f) => f.type === "customer_reference")).toHaveLength(1);
    const custom = fields.filter((f) => !(f.type in REFERENCE_TYPES));
    expect(custom.length).toBeGreaterThan(0);
    for (const f of custom) {
      expect(CUSTOM_TYPES, `type of ${f.key}`).toContain(f.type);
      expect(f.key, `key of a ${f.type} field`).toMatch(/^[A-Za-z ]+$/);
    }
    const keys = custom.map((f) => f.key);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it("declares exactly the keys the app sends, with values of the declared types", () => {
    const payload = bandChangePayload({
      customerId: "7012345678901",
      score: 38,
      band: "at_risk",
      fromBand: "watch",
      factors: [{ signal: "consecutiveSkips", points: -30, share: 0.6, text: "Skipped the last 2 orders in a row" }],
      monthlyValue: 39.999,
    })!;
    const referenceKeys = fields.filter((f) => f.type in REFERENCE_TYPES).map((f) => REFERENCE_TYPES[f.type]);
    const customKeys = fields.filter((f) => !(f.type in REFERENCE_TYPES)).map((f) => f.key!);
    expect(Object.keys(payload).sort()).toEqual([...referenceKeys, ...customKeys].sort());
    expect([...FLOW_FIELD_KEYS].sort()).toEqual([...customKeys].sort());
    for (const f of fields) {
      const value = payload[f.key ?? REFERENCE_TYPES[f.type]];
      if (f.type === "number_decimal" || f.type in REFERENCE_TYPES) expect(typeof value, String(f.key ?? f.type)).toBe("number");
      if (f.type === "single_line_text_field") expect(value, String(f.key)).toMatch(/^[^\n]*$/);
    }
  });

  it("sends Shopify's numeric customer id and bands in the merchant's words, and nothing for a customer without one", () => {
    const change = { customerId: "61", score: 38, band: "at_risk", fromBand: "watch", factors: [], monthlyValue: 40 };
    expect(bandChangePayload(change)).toMatchObject({ customer_id: 61, Band: "At risk", "Previous band": "Watch", "Health score": 38 });
    expect(bandChangePayload({ ...change, customerId: "gid://shopify/Customer/61" })).toBeNull();
  });

  it("gives as top reason the strongest factor pulling the way the band moved", () => {
    const factors = [
      { signal: "tenure" as const, points: 12, share: 0.3, text: "A subscriber for over a year" },
      { signal: "softDecline" as const, points: -8, share: 0.2, text: "A payment failed last week" },
    ];
    const base = { customerId: "61", score: 50, factors, monthlyValue: 40 };
    expect(bandChangePayload({ ...base, band: "watch", fromBand: "healthy" })!["Top reason"]).toBe("A payment failed last week");
    expect(bandChangePayload({ ...base, band: "watch", fromBand: "at_risk" })!["Top reason"]).toBe("A subscriber for over a year");
  });
});
