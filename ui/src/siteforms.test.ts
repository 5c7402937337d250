import { describe, expect, it } from "vitest";
import type { Site } from "./generated/bindings";
import { NO_SITES_HTML, renderSites, siteFormValues, siteInputFromForm, siteRemoveMessage } from "./siteforms";

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

describe("renderSites", () => {
  it("shows the empty state", () => {
    expect(renderSites([])).toBe(NO_SITES_HTML);
  });

  it("lists sites by name with location, device count and labelled actions, escaped", () => {
    const html = renderSites([
      site({ id: "s2", name: "Zurich", lat: 47.4, lon: 8.5, deviceCount: 3 }),
      site({ id: "s1", name: "<b>HQ</b>" }),
    ]);
    expect(html.indexOf("HQ")).toBeLessThan(html.indexOf("Zurich"));
    expect(html).not.toContain("<b>");
    expect(html).toContain("<td>47.4, 8.5</td><td>3</td>");
    expect(html).toContain('data-action="edit-site" data-id="s1" aria-label="Edit site &lt;b&gt;HQ&lt;/b&gt;"');
    expect(html).toContain('data-action="remove-site" data-id="s2" aria-label="Remove site Zurich"');
  });
});

describe("siteRemoveMessage", () => {
  it("says what happens to the site's devices", () => {
    expect(siteRemoveMessage(site())).toBe("Remove site Lab A? It has no devices.");
    expect(siteRemoveMessage(site({ deviceCount: 1 }))).toBe("Remove site Lab A? Its 1 device will stay, without a site.");
    expect(siteRemoveMessage(site({ deviceCount: 4 }))).toContain("Its 4 devices will stay");
  });
});
