// @vitest-environment jsdom
import { describe, expect, it } from "vitest";
import type { EventRule, EventRuleView } from "./generated/bindings";
import { toElement } from "./html";
import { EVENT_RULE_FIELDS, eventRuleFormErrors, eventRuleValuesOf, parseEventRuleForm, raiseClearText, type EventRuleFormValues } from "./eventruleform";
import { scopeFields } from "./listscreen";
import INDEX_HTML from "../index.html?raw";
import { eventRulesTable } from "./eventrulelist";

function values(over: Partial<EventRuleFormValues> = {}): EventRuleFormValues {
  return {
    name: " BGP down ",
    enabled: true,
    kind: "syslog",
    severity: "major",
    app: "bgpd",
    minSeverity: "error",
    pattern: "neighbor (?P<key>\\S+) Down",
    clearPattern: "neighbor (?P<key>\\S+) Up",
    oid: "",
    varbinds: "",
    keyVarbind: "",
    clearOid: "",
    scopeAll: true,
    devices: "",
    tags: "",
    sites: "",
    kinds: "",
    templates: "",
    ...over,
  };
}

const SCOPE_ALL = { all: true, devices: [], tags: [], sites: [], kinds: [], templates: [] };

describe("parseEventRuleForm", () => {
  it("a syslog rule: severity or worse, app, pattern, and a clear pattern from the same app", () => {
    const { rule, errors } = parseEventRuleForm(values());
    expect(errors).toEqual([]);
    expect(rule).toEqual<EventRule>({
      name: "BGP down",
      enabled: true,
      severity: "major",
      scope: SCOPE_ALL,
      raise: { kind: "syslog", severity: "error", app: "bgpd", pattern: "neighbor (?P<key>\\S+) Down" },
      clear: { kind: "syslog", severity: null, app: "bgpd", pattern: "neighbor (?P<key>\\S+) Up" },
      keyVarbind: null,
    });
  });

  it("empty boxes are left out: no clear, any app, any severity; the key varbind is never sent for syslog", () => {
    const { rule } = parseEventRuleForm(values({ app: " ", minSeverity: "", clearPattern: "", keyVarbind: "ifIndex" }));
    expect(rule.raise).toEqual({ kind: "syslog", severity: null, app: null, pattern: "neighbor (?P<key>\\S+) Down" });
    expect(rule.clear).toBeNull();
    expect(rule.keyVarbind).toBeNull();
  });

  it("a trap rule: OID or name, varbinds as name=value, key varbind and clear trap", () => {
    const { rule, errors } = parseEventRuleForm(
      values({ kind: "trap", oid: " linkDown ", varbinds: "ifAdminStatus=1, ifOperStatus = 2", keyVarbind: "ifIndex", clearOid: "linkUp", scopeAll: false, tags: "core, edge" }),
    );
    expect(errors).toEqual([]);
    expect(rule.raise).toEqual({ kind: "trap", oid: "linkDown", varbinds: [{ name: "ifAdminStatus", value: "1" }, { name: "ifOperStatus", value: "2" }] });
    expect(rule.clear).toEqual({ kind: "trap", oid: "linkUp", varbinds: [] });
    expect(rule.keyVarbind).toBe("ifIndex");
    expect(rule.scope.tags).toEqual(["core", "edge"]);
  });

  it("a varbind without = is the form's own error", () => {
    const { errors } = parseEventRuleForm(values({ kind: "trap", oid: "linkDown", varbinds: "ifIndex" }));
    expect(errors).toEqual([{ field: "varbinds", message: "“ifIndex” is not name=value" }]);
  });

  it("round-trips a stored rule through the form", () => {
    for (const v of [values(), values({ kind: "trap", oid: "linkDown", varbinds: "ifAdminStatus=1", keyVarbind: "ifIndex", clearOid: "linkUp", app: "", minSeverity: "", pattern: "", clearPattern: "" })]) {
      const rule = parseEventRuleForm(v).rule;
      expect(parseEventRuleForm(eventRuleValuesOf(rule)).rule).toEqual(rule);
    }
  });
});

describe("eventRuleFormErrors", () => {
  it("puts every service error next to its box at once", () => {
    const err = {
      kind: "validation" as const,
      detail: "invalid",
      fields: [
        { field: "name", message: "must be 1 to 120 characters" },
        { field: "raise.pattern", message: "not a regular expression: unclosed group" },
        { field: "clear.pattern", message: "at most 1000 bytes" },
        { field: "raise.oid", message: "must be a numeric OID or a known trap name" },
        { field: "raise.varbinds[0].name", message: "must not be empty" },
        { field: "scope", message: "name at least one device" },
        { field: "raise", message: "name a severity, an app or a pattern" },
      ],
    };
    expect(eventRuleFormErrors(err, "syslog").fields.map((f) => f.field)).toEqual(["name", "pattern", "clearPattern", "oid", "varbinds", "scope", "raise"]);
  });

  it("a clear with nothing to match goes to the clear box of the kind; client errors come first", () => {
    const err = { kind: "validation" as const, detail: "", fields: [{ field: "clear", message: "name a severity, an app or a pattern" }] };
    expect(eventRuleFormErrors(err, "syslog").fields[0]?.field).toBe("clearPattern");
    const withClient = eventRuleFormErrors(err, "trap", [{ field: "varbinds", message: "bad" }]);
    expect(withClient.fields.map((f) => f.field)).toEqual(["varbinds", "clearOid"]);
  });
});

describe("the rules list", () => {
  const syslogRule = parseEventRuleForm(values()).rule;
  const trapRule = parseEventRuleForm(values({ name: "<b>x</b>", kind: "trap", oid: "linkDown", keyVarbind: "ifIndex", clearOid: "linkUp", enabled: false })).rule;

  it("says raise and clear in words", () => {
    expect(raiseClearText(syslogRule)).toBe(
      "Raised by syslog error or worse from bgpd matching /neighbor (?P<key>\\S+) Down/, one alarm per key; cleared by syslog of any severity from bgpd matching /neighbor (?P<key>\\S+) Up/",
    );
    expect(raiseClearText(trapRule)).toBe("Raised by trap linkDown, one alarm per ifIndex; cleared by trap linkUp");
    expect(raiseClearText({ ...trapRule, clear: null, keyVarbind: null })).toBe("Raised by trap linkDown; cleared by hand");
  });

  it("lists name, on/off, severity and actions, names as text", () => {
    const view = (r: EventRule, id: string): EventRuleView => ({ ...r, id, updatedAt: "2026-12-03T10:00:00Z" });
    const el = toElement(eventRulesTable([view(trapRule, "2"), view(syslogRule, "1")]));
    const rows = [...el.querySelectorAll("tbody tr")];
    expect(rows.map((r) => r.querySelector(".name")?.textContent)).toEqual(["<b>x</b>", "BGP down"]);
    expect(el.querySelector("b")).toBeNull();
    expect(rows[0]?.classList.contains("is-disabled")).toBe(true);
    expect(rows[1]?.querySelector<HTMLInputElement>("input[data-action=toggle-event-rule]")?.checked).toBe(true);
    expect(rows[1]?.querySelector("button[data-action=remove-event-rule]")?.getAttribute("data-id")).toBe("1");
    expect(rows[1]?.textContent).toContain("all devices");
    expect(toElement(eventRulesTable([])).textContent).toContain("No event rules yet");
  });
});

describe("the form in index.html", () => {
  it("has an input or an error slot for every field the errors are mapped to", () => {
    const doc = new DOMParser().parseFromString(INDEX_HTML, "text/html");
    const form = doc.getElementById("event-rule-form");
    expect(form).not.toBeNull();
    form?.querySelector("#er-scope-fields")?.append(toElement(scopeFields("er")));
    const missing = EVENT_RULE_FIELDS.filter(
      (f) => form?.querySelector(`[name="${f}"]`) === null && form.querySelector(`[data-error-for="${f}"]`) === null,
    );
    expect(missing).toEqual([]);
  });
});

