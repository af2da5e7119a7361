// The Flow templates (extensions/flow-template-*) against the keys Shopify CLI accepts
// for a flow_template (refused only at deploy, so checked here), and their workflows, as
// each README describes them, against the action's fields and the kinds app/sources/flow reads.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { parse } from "smol-toml";
import { describe, expect, it } from "vitest";
import { FLOW_FIELD_KEYS, FLOW_KIND_NAMES } from "~/sources/flow/kinds";

const EXTENSIONS = path.resolve(__dirname, "../../extensions");
// Shopify CLI models/extensions/specifications/flow_template.ts (fixtures/shopify-flow/SOURCES.md).
const EXTENSION_KEYS = ["type", "name", "handle", "description", "uid", "template"];
const TEMPLATE_KEYS = ["categories", "module", "require_app", "discoverable", "allow_one_click_activate", "enabled"];
const CATEGORIES = ["buyer_experience", "customers", "fulfillment", "inventory_and_merch", "loyalty", "orders", "promotion", "risk", "b2b", "payment_reminders", "custom_data", "error_monitoring"];

const folders = readdirSync(EXTENSIONS).filter((d) => d.startsWith("flow-template-"));

interface Template {
  folder: string;
  extension: Record<string, unknown> & { template: Record<string, unknown> };
  locale: Record<string, string>;
  readme: string;
}
const templates: Template[] = folders.map((folder) => {
  const dir = path.join(EXTENSIONS, folder);
  const config = parse(readFileSync(path.join(dir, "shopify.extension.toml"), "utf8")) as unknown as { extensions: Template["extension"][] };
  expect(config.extensions, folder).toHaveLength(1);
  return {
    folder,
    extension: config.extensions[0],
    locale: JSON.parse(readFileSync(path.join(dir, "locales/en.default.json"), "utf8")),
    readme: readFileSync(path.join(dir, "README.md"), "utf8"),
  };
});

/** A `t:` key resolved from the template's locale, as the CLI resolves it. */
const resolved = (t: Template, value: unknown) => (typeof value === "string" && value.startsWith("t:") ? t.locale[value.slice(2)] : value);

/** The action's fields as the README's table maps them: field key -> value. */
function mapping(readme: string): Map<string, string> {
  const rows = readme.split("\n").filter((l) => /^\| `[a-z_]+` \|/.test(l));
  return new Map(rows.map((l) => [/^\| `([a-z_]+)`/.exec(l)![1], l.split(/(?<!\\)\|/)[2].trim()]));
}

/** The kinds a template's `event` value can produce: a kind typed as is, or each branch of a Liquid case. */
function kindsOf(value: string): string[] {
  const code = value.replace(/^`|`$/g, "");
  if (!code.includes("{%")) return [code];
  return [...code.matchAll(/%\}([a-z_]+)\{%/g)].map((m) => m[1]);
}

describe("the app's deployed extensions", () => {
  const app = parse(readFileSync(path.resolve(__dirname, "../../shopify.app.toml"), "utf8")) as { extension_directories?: string[] };
  const listed = app.extension_directories ?? ["extensions/*"];

  it("name folders that exist, and no Flow template before its workflow file is exported (deploy would stop)", () => {
    expect(listed.every((d) => !d.includes("*"))).toBe(true);
    for (const dir of listed) expect(existsSync(path.resolve(__dirname, "../..", dir, "shopify.extension.toml")), dir).toBe(true);
    for (const folder of folders) {
      const ready = existsSync(path.join(EXTENSIONS, folder, "template.flow"));
      expect(listed.includes(`extensions/${folder}`), folder).toBe(ready);
    }
  });

  it("include every other extension folder", () => {
    for (const folder of readdirSync(EXTENSIONS).filter((d) => !d.startsWith("flow-template-"))) expect(listed).toContain(`extensions/${folder}`);
  });
});

describe("the Flow templates", () => {
  it("are there, one per extension folder: Shopify's subscription triggers and Appstle's", () => {
    expect(folders.length).toBeGreaterThanOrEqual(10);
    for (const handle of ["shopify-billing-failure", "shopify-billing-success", "shopify-billing-challenged", "shopify-contract-updated"]) expect(folders).toContain(`flow-template-${handle}`);
    for (const trigger of ["created", "activated", "cancelled", "paused"]) expect(folders).toContain(`flow-template-appstle-subscription-${trigger}`);
    for (const trigger of ["success", "failure"]) expect(folders).toContain(`flow-template-appstle-billing-${trigger}`);
  });

  for (const t of templates) {
    describe(t.folder, () => {
      it("is a flow_template with only the keys the CLI accepts", () => {
        expect(t.extension.type).toBe("flow_template");
        for (const key of Object.keys(t.extension)) expect(EXTENSION_KEYS, `key ${key}`).toContain(key);
        for (const key of Object.keys(t.extension.template)) expect(TEMPLATE_KEYS, `template key ${key}`).toContain(key);
        for (const key of ["require_app", "discoverable", "allow_one_click_activate", "enabled"]) {
          if (key in t.extension.template) expect(typeof t.extension.template[key], key).toBe("boolean");
        }
      });

      it("has a handle of at most 30 letters, digits and hyphens, named by its folder", () => {
        const handle = String(t.extension.handle);
        expect(handle).toMatch(/^[a-z0-9-]+$/i);
        expect(handle.length).toBeLessThanOrEqual(30);
        expect(t.folder).toBe(`flow-template-${handle}`);
      });

      it("has a name and a description of at most 1024 characters, resolved from its locale", () => {
        expect(String(t.extension.description).length).toBeLessThanOrEqual(1024);
        const name = resolved(t, t.extension.name);
        const description = resolved(t, t.extension.description);
        expect(typeof name === "string" && name.length > 0).toBe(true);
        expect(typeof description === "string" && description.length > 0 && description.length <= 1024).toBe(true);
        expect(Object.keys(t.locale).every((k) => ["name", "description", "preInstallNote"].includes(k))).toBe(true);
      });

      it("has one or two categories the CLI accepts", () => {
        const categories = t.extension.template.categories as string[];
        expect(categories.length).toBeGreaterThanOrEqual(1);
        expect(categories.length).toBeLessThanOrEqual(2);
        for (const c of categories) expect(CATEGORIES, c).toContain(c);
      });

      it("points its module at template.flow, and says it is exported from a dev store before deploy", () => {
        expect(t.extension.template.module).toBe("./template.flow");
        expect(t.readme).toMatch(/exported from a development store's Flow\s+editor/);
        expect(t.readme).toMatch(/save the file here as\s+`template.flow`/);
        // Written by hand it would be a guess at an undocumented format: it is exported, or absent.
        if (existsSync(path.join(EXTENSIONS, t.folder, "template.flow"))) expect(readFileSync(path.join(EXTENSIONS, t.folder, "template.flow")).length).toBeGreaterThan(0);
      });

      it("maps its workflow onto the action's fields, with an event the source reads", () => {
        expect(t.readme).toContain("**Record subscription event in Lifeline**");
        const fields = mapping(t.readme);
        for (const key of fields.keys()) expect(FLOW_FIELD_KEYS as readonly string[], `field ${key}`).toContain(key);
        for (const key of ["event", "contract_id", "occurred_at"]) expect(fields.has(key), `required field ${key}`).toBe(true);
        const kinds = kindsOf(fields.get("event")!);
        expect(kinds.length).toBeGreaterThan(0);
        for (const kind of kinds) expect(FLOW_KIND_NAMES as readonly string[], `kind ${kind}`).toContain(kind);
      });
    });
  }
});
