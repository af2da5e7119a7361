// The metric names are a public contract that merchants build flows on: the page that
// documents them must name every one, and every property, exactly as the code sends them.
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { COMMON_EVENT_PROPERTIES, LIFELINE_METRIC_NAMES, buildProfileProperties } from "~/playbook/metrics";
import { snap } from "./fixtures";

const doc = readFileSync(path.join(__dirname, "../../docs/KLAVIYO.md"), "utf8");

describe("docs/KLAVIYO.md", () => {
  it.each(LIFELINE_METRIC_NAMES)("documents the metric %s", (name) => {
    expect(doc).toContain(`\`${name}\``);
  });

  it.each(COMMON_EVENT_PROPERTIES)("documents the event property %s", (property) => {
    expect(doc).toContain(`\`${property}\``);
  });

  it("documents every profile property", () => {
    for (const property of Object.keys(buildProfileProperties(snap()))) expect(doc).toContain(`\`${property}\``);
  });

  it("keeps every metric name prefixed with Lifeline", () => {
    for (const name of LIFELINE_METRIC_NAMES) expect(name).toMatch(/^Lifeline: /);
  });
});
