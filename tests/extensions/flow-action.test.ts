// The Flow action's shopify.extension.toml against the keys Shopify CLI accepts for a
// flow_action (refused only at deploy, so checked here), and against what
// app/sources/flow reads from a run's properties.
import { readFileSync } from "node:fs";
import path from "node:path";
import { parse } from "smol-toml";
import { describe, expect, it } from "vitest";
import { FLOW_ACTION_HANDLE, FLOW_CUSTOMER_KEY, FLOW_FIELD_KEYS, FLOW_KIND_NAMES } from "~/sources/flow/kinds";

const TOML = path.resolve(__dirname, "../../extensions/record-subscription-event/shopify.extension.toml");
// Shopify CLI services/flow/constants.ts and validation.ts (fixtures/shopify-flow/SOURCES.md).
const PLAIN_TYPES = ["boolean", "email", "multi_line_text_field", "number_integer", "single_line_text_field", "url", "number_decimal"];
const REFERENCE_TYPES: Record<string, string> = {
  customer_reference: "customer_id",
  order_reference: "order_id",
  product_reference: "product_id",
  marketing_activity_reference: "marketing_activity_id",
  abandonment_reference: "abandonment_id",
  company_reference: "company_id",
  company_contact_reference: "company_contact_id",
};
const EXTENSION_KEYS = ["type", "name", "handle", "description", "runtime_url", "validation_url", "config_page_url", "config_page_preview_url", "schema", "return_type_ref", "uid"];

interface Field {
  type: string;
  key?: string;
  name?: string;
  description?: string;
  required?: boolean;
}
const config = parse(readFileSync(TOML, "utf8")) as unknown as { extensions: Array<Record<string, unknown>>; settings: { fields: Field[] } };
const extension = config.extensions[0];
const fields = config.settings.fields;
const plain = fields.filter((f) => !(f.type in REFERENCE_TYPES));

describe("the Record subscription event Flow action's configuration", () => {
  it("is one flow_action with the CLI's keys only, posting to Lifeline's runtime URL", () => {
    expect(config.extensions).toHaveLength(1);
    expect(extension.type).toBe("flow_action");
    expect(extension.name).toBe("Record subscription event in Lifeline");
    for (const key of Object.keys(extension)) expect(EXTENSION_KEYS, `extension key ${key}`).toContain(key);
    expect(extension.runtime_url).toBe("/api/flow/record-event");
    // A custom configuration page would need all three URLs; none is set.
    expect([extension.config_page_url, extension.config_page_preview_url, extension.validation_url]).toEqual([undefined, undefined, undefined]);
  });

  it("has the handle the app checks, at most 30 letters, digits and hyphens", () => {
    expect(extension.handle).toBe(FLOW_ACTION_HANDLE);
    expect(String(extension.handle).length).toBeLessThanOrEqual(30);
    expect(extension.handle).toMatch(/^[a-z0-9-]+$/i);
    expect(String(extension.description).length).toBeGreaterThan(0);
    expect(String(extension.description).length).toBeLessThanOrEqual(1024);
  });

  it("names the runtime URL a route the app has", () => {
    expect(() => readFileSync(path.resolve(__dirname, "../../app/routes/api.flow.record-event.tsx"))).not.toThrow();
  });

  it("refers to the customer once (a reference field has no key or name), required", () => {
    const references = fields.filter((f) => f.type in REFERENCE_TYPES);
    expect(references.map((f) => f.type)).toEqual(["customer_reference"]);
    for (const f of references) {
      expect(Object.keys(f).every((k) => ["type", "required", "description"].includes(k)), JSON.stringify(f)).toBe(true);
      expect(f.required).toBe(true);
      expect(REFERENCE_TYPES[f.type]).toBe(FLOW_CUSTOMER_KEY);
    }
  });

  it("gives every plain field an allowed type, a key and a name, and nothing else", () => {
    for (const f of plain) {
      expect(PLAIN_TYPES, `type of ${f.key}`).toContain(f.type);
      expect(typeof f.key).toBe("string");
      expect(typeof f.name).toBe("string");
      expect(Object.keys(f).every((k) => ["type", "key", "name", "description", "required"].includes(k)), JSON.stringify(f)).toBe(true);
      expect(f.key).toMatch(/^[a-z_]+$/);
    }
    const keys = plain.map((f) => f.key);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it("declares exactly the property keys app/sources/flow reads, requiring the ones a run cannot do without", () => {
    expect(plain.map((f) => f.key).sort()).toEqual([...FLOW_FIELD_KEYS].sort());
    expect(plain.filter((f) => f.required).map((f) => f.key).sort()).toEqual(["contract_id", "event", "occurred_at"]);
  });

  it("lists in the event field's description every kind the source reads, and no other", () => {
    const description = plain.find((f) => f.key === "event")!.description!;
    const listed = description
      .slice(description.indexOf("one of:") + "one of:".length)
      .replace(/\([^)]*\)/g, "")
      .replace(/\.\s*$/, "")
      .split(",")
      .map((k) => k.trim());
    expect([...listed].sort()).toEqual([...FLOW_KIND_NAMES].sort());
  });
});
