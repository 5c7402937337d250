// @vitest-environment jsdom
import { describe, expect, it } from "vitest";
import type { Rule } from "./generated/bindings";
import { toElement } from "./html";
import { formErrors, formValuesOf, levelsText, parseRuleForm, scopeText, type RuleFormValues } from "./ruleform";
import { levelRows, previewResult, rulesTable } from "./rulelist";

function values(over: Partial<RuleFormValues> = {}): RuleFormValues {
  return {
    name: " CPU high ",
    metric: "cpu_pct",
    instance: "",
    comparison: "above",
    levels: { critical: { raise: "95", clear: "" }, major: { raise: "80", clear: "70" }, minor: { raise: "", clear: "" } },
    raiseAfter: "2",
    clearAfter: "1",
    noDataIntervals: "",
    scopeAll: false,
    devices: "",
    tags: "core, edge ,",
    sites: "",
    kinds: "router",
    templates: "",
    enabled: true,
    ...over,
  };
}

describe("rule form", () => {
  it("builds the rule from the form: levels that are filled in, lists split on commas", () => {
    const p = parseRuleForm(values());
    expect(p.errors).toEqual([]);
    expect(p.order).toEqual(["critical", "major"]);
    expect(p.rule).toMatchObject({
      name: "CPU high",
      metric: "cpu_pct",
      instance: null,
      comparison: "above",
      levels: [
        { severity: "critical", raise: 95, clear: null },
        { severity: "major", raise: 80, clear: 70 },
      ],
      raiseAfter: { samples: 2 },
      noDataIntervals: null,
      scope: { all: false, tags: ["core", "edge"], kinds: ["router"], devices: [] },
      enabled: true,
    });
  });

  it("names every number that does not parse at once, and leaves those rows out", () => {
    const p = parseRuleForm(
      values({ levels: { major: { raise: "eighty", clear: "7o" }, minor: { raise: "", clear: "5" } }, raiseAfter: "1.5" }),
    );
    expect(p.errors.map((e) => e.field)).toEqual(["raise-major", "clear-major", "raise-minor", "raiseAfter"]);
    expect(p.rule.levels).toEqual([]);
  });

  it("puts the service's level errors on the rows that were sent, and keeps the others", () => {
    const p = parseRuleForm(values());
    const err = formErrors(
      {
        kind: "validation",
        detail: "",
        fields: [
          { field: "levels[1].clear", message: "must be at or below the raise value 80" },
          { field: "levels[0]", message: "thresholds must be numbers" },
          { field: "levels", message: "a worse severity needs a threshold further out" },
          { field: "scope", message: "name at least one device" },
        ],
      },
      p.order,
    );
    expect(err.fields.map((f) => f.field)).toEqual(["clear-major", "raise-critical", "levels", "scope"]);
    // With rows left out by the form, the service's complaint about the levels as a whole is moot.
    const client = [{ field: "raise-major", message: "must be a number" }];
    expect(formErrors({ kind: "validation", detail: "", fields: [{ field: "levels", message: "give at least one severity level" }] }, [], client).fields).toEqual(client);
  });

  it("round-trips a stored rule through the form", () => {
    const p = parseRuleForm(values());
    const back = parseRuleForm(formValuesOf(p.rule));
    expect(back.rule).toEqual(p.rule);
  });
});

const RULE: Rule = {
  name: "<b>CPU</b>",
  enabled: false,
  metric: "cpu_pct",
  instance: "Gi0/*",
  comparison: "above",
  levels: [
    { severity: "critical", raise: 95, clear: null },
    { severity: "major", raise: 80, clear: 70.5 },
  ],
  raiseAfter: { samples: 1 },
  clearAfter: { samples: 1 },
  noDataIntervals: null,
  scope: { all: false, devices: [], tags: ["core"], sites: ["Berlin", "Paris"], kinds: [], templates: [] },
  overrides: [],
};

describe("rules list", () => {
  it("gives the form a raise and a clear box with an error slot per severity", () => {
    const el = toElement(levelRows(), "tbody");
    const names = [...el.querySelectorAll("input")].map((i) => i.name);
    expect(names).toEqual(["raise-critical", "clear-critical", "raise-major", "clear-major", "raise-minor", "clear-minor", "raise-warning", "clear-warning"]);
    expect(el.querySelectorAll("[data-error-for]")).toHaveLength(8);
  });

  it("summarises levels and scope", () => {
    expect(levelsText(RULE)).toBe("major > 80 (clear 70.50) · critical > 95");
    expect(scopeText(RULE.scope)).toBe("tag core · sites Berlin, Paris");
    expect(scopeText({ ...RULE.scope, all: true })).toBe("all devices");
  });

  it("shows each rule with its metric in words, enabled state and actions, names as text", () => {
    const el = toElement(rulesTable([{ id: "r1", rule: RULE, updatedAt: "2026-01-01T00:00:00Z" }]));
    const row = el.querySelector("tr[data-id=r1]");
    expect(row?.querySelector(".name")?.textContent).toBe("<b>CPU</b>");
    expect(el.querySelector("b")).toBeNull();
    expect(row?.textContent).toContain("CPU load (%)");
    expect(row?.querySelector<HTMLInputElement>("[data-action=toggle-rule]")?.checked).toBe(false);
    expect(row?.classList.contains("is-disabled")).toBe(true);
    expect(row?.querySelector("[data-action=remove-rule]")).not.toBeNull();
    expect(toElement(rulesTable([])).textContent).toContain("No rules yet");
  });

  it("says what a preview would raise, or that it would raise nothing", () => {
    expect(toElement(previewResult("CPU", [])).textContent).toContain("would raise nothing");
    const el = toElement(
      previewResult("CPU", [
        { deviceId: "d1", device: "core-1", instance: "", value: 90, severity: "major", at: "2026-01-01T00:00:00Z" },
        { deviceId: "d1", device: "core-1", instance: "eth0", value: 91.25, severity: "major", at: "2026-01-01T00:00:00Z" },
      ]),
    );
    expect(el.querySelector("[data-preview=hits]")?.textContent).toContain("2 alarms now, on 1 device");
    expect([...el.querySelectorAll("tbody tr")].map((r) => r.querySelector(".num")?.textContent)).toEqual(["90", "91.25"]);
  });
});
