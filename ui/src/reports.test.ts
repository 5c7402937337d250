// @vitest-environment jsdom
import { describe, expect, it } from "vitest";
import type { Report } from "./generated/bindings";
import { toElement } from "./html";
import { presetRange, reportFileName, reportMime, reportPreview, reportRequest } from "./reports";

const report: Report = {
  kind: "availability",
  title: "Availability report",
  scope: "site HQ",
  from: "2026-11-23T00:00:00Z",
  to: "2026-11-24T00:00:00Z",
  generatedAt: "2026-11-25T08:00:00Z",
  tables: [
    {
      title: "Availability",
      columns: ["device", "site", "availability_pct"],
      rows: [
        ["r1", "HQ", "95.833"],
        ["<img src=x onerror=alert(1)>", "HQ", "no data"],
      ],
    },
    { title: "Empty", columns: ["a", "b"], rows: [] },
  ],
  chart: { title: "Availability (%)", unit: "%", labels: ["r1"], values: [95.833], max: 100 },
  notes: ["Overall availability: 95.833% (2 devices)"],
};

describe("reports", () => {
  it("turns a form into a request, scope and UTC times included", () => {
    const r = reportRequest({ kind: "top", scope: "site", target: " HQ ", from: "2026-11-23T00:00", to: "2026-11-24T00:00" });
    expect(r).toEqual({
      ok: true,
      request: {
        kind: "top",
        from: "2026-11-23T00:00:00.000Z",
        to: "2026-11-24T00:00:00.000Z",
        site: "HQ",
        tag: null,
        device: null,
        topN: null,
      },
    });
  });

  it("names every bad field at once", () => {
    const r = reportRequest({ kind: "alarms", scope: "tag", target: "", from: "2026-11-24T00:00", to: "2026-11-23T00:00" });
    expect(r).toEqual({ ok: false, errors: { to: "Must be after the start.", tag: "Name the tag." } });
    const bad = reportRequest({ kind: "alarms", scope: "all", target: "", from: "yesterday", to: "" });
    expect(bad.ok ? [] : Object.keys(bad.errors).sort()).toEqual(["from", "to"]);
  });

  it("offers day, week and month presets ending now", () => {
    const now = new Date("2026-11-25T08:30:45Z");
    expect(presetRange(1, now)).toEqual({ from: "2026-11-24T08:30", to: "2026-11-25T08:30" });
    expect(presetRange(7, now).from).toBe("2026-11-18T08:30");
  });

  it("previews every table, escaped, with the service's digits", () => {
    const el = toElement(reportPreview(report));
    expect(el.querySelector(".report-title")?.textContent).toBe("Availability report");
    expect(el.querySelector(".report-meta")?.textContent).toBe("site HQ, 2026-11-23 00:00 to 2026-11-24 00:00 UTC");
    expect(el.querySelector(".report-notes")?.textContent).toContain("95.833%");
    const tables = el.querySelectorAll("table");
    expect(tables).toHaveLength(2);
    const [first, second] = [...tables];
    const cells = [...(first?.querySelectorAll("tbody tr") ?? [])].map((tr) => [...tr.querySelectorAll("td")].map((td) => td.textContent));
    expect(cells).toEqual([
      ["r1", "HQ", "95.833"],
      ["<img src=x onerror=alert(1)>", "HQ", "no data"],
    ]);
    expect(el.querySelector("img")).toBeNull();
    expect([...(first?.querySelectorAll("th") ?? [])].map((th) => th.textContent)).toEqual(["device", "site", "availability pct"]);
    expect(second?.querySelector("td")?.textContent).toBe("none");
  });

  it("names saved files by kind and start day", () => {
    expect(reportFileName(report, "pdf")).toBe("availability-2026-11-23.pdf");
    expect(reportMime("csv")).toBe("text/csv");
  });
});
