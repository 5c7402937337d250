// @vitest-environment jsdom
import { describe, expect, it } from "vitest";
import type { Site } from "./generated/bindings";
import { siteFormValues, siteInputFromForm, siteRemoveMessage, sitesTable } from "./siteforms";
import { toElement } from "./html";

function site(overrides: Partial<Site> = {}): Site {
  return {
    id: "site-1",
    name: "Lab A",
    lat: null,
    lon: null,
    hasFloorPlan: false,
    deviceCount: 0,
    createdAt: "2025-01-01T00:00:00Z",
    updatedAt: "2025-01-01T00:00:00Z",
    version: 1,
    ...overrides,
  };
}

describe("siteInputFromForm", () => {
  it("trims the name and parses the coordinates; blanks are null", () => {
    expect(siteInputFromForm({ name: " HQ ", lat: "51.5", lon: "-0.1" })).toEqual({
      input: { name: "HQ", lat: 51.5, lon: -0.1 },
    });
    expect(siteInputFromForm({ name: "HQ", lat: "", lon: " " })).toEqual({ input: { name: "HQ", lat: null, lon: null } });
  });

  it("reports coordinates that are not numbers per field, leaving range checks to the service", () => {
    expect(siteInputFromForm({ name: "", lat: "x", lon: "Infinity" })).toEqual({
      errors: [
        { field: "lat", message: "must be a number" },
        { field: "lon", message: "must be a number" },
      ],
    });
    expect(siteInputFromForm({ name: "HQ", lat: "100", lon: "0" })).toMatchObject({ input: { lat: 100 } });
  });

  it("round-trips a site through the form", () => {
    const s = site({ name: "HQ", lat: 51.5, lon: -0.125 });
    expect(siteInputFromForm(siteFormValues(s))).toEqual({ input: { name: "HQ", lat: 51.5, lon: -0.125 } });
    expect(siteFormValues(site())).toEqual({ name: "Lab A", lat: "", lon: "" });
  });
});

describe("sitesTable", () => {
  it("shows the empty state", () => {
    expect(toElement(sitesTable([])).textContent).toBe("No sites yet.");
  });

  it("lists sites by name with location, device count and labelled actions, as text", () => {
    const el = toElement(
      sitesTable([site({ id: "s2", name: "Zurich", lat: 47.4, lon: 8.5, deviceCount: 3 }), site({ id: "s1", name: "<b>HQ</b>" })]),
    );
    const rows = [...el.querySelectorAll("tbody tr")];
    expect(rows.map((r) => r.getAttribute("data-id"))).toEqual(["s1", "s2"]);
    expect(el.querySelector("b")).toBeNull();
    expect(rows[0]?.querySelector("td.name")?.textContent).toBe("<b>HQ</b>");
    expect([...(rows[1]?.querySelectorAll("td") ?? [])].slice(1, 3).map((td) => td.textContent)).toEqual(["47.4, 8.5", "3"]);
    expect(el.querySelector('[data-action="edit-site"][data-id="s1"]')?.getAttribute("aria-label")).toBe("Edit site <b>HQ</b>");
    expect(el.querySelector('[data-action="remove-site"][data-id="s2"]')?.getAttribute("aria-label")).toBe("Remove site Zurich");
  });
});

describe("siteRemoveMessage", () => {
  it("says what happens to the site's devices", () => {
    expect(siteRemoveMessage(site())).toBe("Remove site Lab A? It has no devices.");
    expect(siteRemoveMessage(site({ deviceCount: 1 }))).toBe("Remove site Lab A? Its 1 device will stay, without a site.");
    expect(siteRemoveMessage(site({ deviceCount: 4 }))).toContain("Its 4 devices will stay");
  });
});
