// @vitest-environment jsdom
import { describe, expect, it } from "vitest";
import type { DeviceItemValue } from "./generated/bindings";
import { itemsTable } from "./deviceitems";
import { toElement } from "./html";

const NOW = Date.parse("2026-12-04T03:00:00Z");

function value(over: Partial<DeviceItemValue>, kind: "gauge" | "counter32" = "gauge"): DeviceItemValue {
  return {
    id: "i1",
    inherited: false,
    value: 85,
    at: "2026-12-04T02:59:30Z",
    item: {
      name: "inlet_temp",
      target: { kind: "device", value: "d1" },
      oid: ".1.3.6.1.4.1.99999.1.0",
      unit: "celsius",
      scale: 1,
      kind,
      intervalSecs: 30,
      description: "",
    },
    ...over,
  };
}

describe("device page custom items", () => {
  it("lists each item with its newest value and offers Remove on the device's own", () => {
    const own = value({});
    const inherited = value({ id: "i2", inherited: true, value: null, at: null });
    const el = toElement(itemsTable([own, inherited], NOW));
    const rows = [...el.querySelectorAll("tbody tr")];
    expect(rows).toHaveLength(2);
    expect(rows[0]?.textContent).toContain("85 celsius");
    expect(rows[0]?.textContent).toContain("30 s ago");
    expect(rows[0]?.querySelector("[data-item-remove]")?.getAttribute("data-item-remove")).toBe("i1");
    expect(rows[1]?.querySelector("[data-item-remove]")).toBeNull();
    expect(rows[1]?.textContent).toContain("template");
    expect(rows[1]?.textContent).toContain("never");
  });

  it("shows a counter as a rate, and says what to do when there are none", () => {
    const el = toElement(itemsTable([value({ value: 1500 }, "counter32")], NOW));
    expect(el.querySelector("tbody td.num")?.textContent).toContain("celsius/s");
    expect(toElement(itemsTable([], NOW)).textContent).toContain("No custom items");
  });
});
