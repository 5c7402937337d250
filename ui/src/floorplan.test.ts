// @vitest-environment jsdom
import { describe, expect, it } from "vitest";
import type { Device, PlanPosition, Site } from "./generated/bindings";
import { device } from "./fixtures";
import {
  base64FromDataUrl,
  checkPlanFile,
  clampToPlan,
  latLngToPixel,
  MAX_PLAN_BYTES,
  pixelToLatLng,
  planBounds,
  planDataUrl,
  siteDevices,
  unplacedList,
  viewOptions,
} from "./floorplan";
import { toElement } from "./html";

function site(id: string, name: string, hasFloorPlan: boolean): Site {
  return { id, name, lat: null, lon: null, hasFloorPlan, deviceCount: 0, createdAt: "", updatedAt: "", version: 1 };
}

function at(d: Device, siteId: string | null): Device {
  return { ...d, siteId };
}

describe("plan coordinates", () => {
  it("maps image pixels (y down) to CRS.Simple lat/lng (lat up) and back", () => {
    expect(pixelToLatLng(0, 0, 300)).toEqual([300, 0]);
    expect(pixelToLatLng(40, 300, 300)).toEqual([0, 40]);
    for (const [x, y] of [
      [0, 0],
      [12.5, 77.25],
      [400, 300],
    ] as const) {
      const [lat, lng] = pixelToLatLng(x, y, 300);
      expect(latLngToPixel(lat, lng, 300)).toEqual([x, y]);
    }
    expect(planBounds(400, 300)).toEqual([
      [0, 0],
      [300, 400],
    ]);
  });

  it("clamps a drop just off the image onto its edge", () => {
    expect(clampToPlan(-3, 20, 100, 50)).toEqual([0, 20]);
    expect(clampToPlan(101, 51, 100, 50)).toEqual([100, 50]);
    expect(clampToPlan(Number.NaN, 10, 100, 50)).toEqual([0, 10]);
  });
});

describe("siteDevices", () => {
  it("splits the site's devices into placed and unplaced, by name, ignoring other sites", () => {
    const b = at(device({ id: "b", name: "bravo" }), "s1");
    const a = at(device({ id: "a", name: "alpha" }), "s1");
    const c = at(device({ id: "c", name: "charlie" }), "s1");
    const other = at(device({ id: "o", name: "other" }), "s2");
    const positions: PlanPosition[] = [
      { deviceId: "c", x: 1, y: 2 },
      { deviceId: "o", x: 3, y: 4 },
    ];
    const { placed, unplaced } = siteDevices([b, other, c, a], "s1", positions);
    expect(placed.map((p) => [p.device.id, p.x, p.y])).toEqual([["c", 1, 2]]);
    expect(unplaced.map((d) => d.id)).toEqual(["a", "b"]);
  });
});

describe("viewOptions", () => {
  it("offers the world map then every site, as text, marking the selection", () => {
    const select = toElement(viewOptions([site("s2", "Zed <lab>", false), site("s1", "HQ", true)], "s1"), "select") as HTMLSelectElement;
    expect([...select.options].map((o) => [o.value, o.textContent])).toEqual([
      ["", "World map"],
      ["s1", "HQ floor plan"],
      ["s2", "Zed <lab> floor plan (none yet)"],
    ]);
    expect(select.value).toBe("s1");
    const world = toElement(viewOptions([], null), "select") as HTMLSelectElement;
    expect([...world.options].map((o) => [o.value, o.selected])).toEqual([["", true]]);
  });
});

describe("unplacedList", () => {
  it("lists draggable devices with their state and marks the armed one", () => {
    const el = toElement(
      unplacedList(
        [device({ id: "a", name: "<b>a</b>" }), device({ id: "b", name: "b" })],
        new Map([["a", { deviceId: "a", state: "down", rttMs: null, lossPct: null, lastSeen: null, lastPoll: null, stale: false, since: null }]]),
        "b",
      ),
    );
    expect(el.querySelector("h3")?.textContent).toBe("Not on the plan (2)");
    const items = [...el.querySelectorAll("li")];
    expect(items.map((li) => [li.dataset["id"], li.getAttribute("draggable"), li.getAttribute("aria-pressed")])).toEqual([
      ["a", "true", "false"],
      ["b", "true", "true"],
    ]);
    expect(items[0]?.querySelector(".dot")?.classList.contains("st-down")).toBe(true);
    expect(items[0]?.textContent).toBe("<b>a</b>");
    expect(el.querySelector("b")).toBeNull();
    expect(toElement(unplacedList([], new Map(), null)).textContent).toContain("Every device");
  });
});

describe("plan files", () => {
  it("refuses SVG, other types, empty and oversized files before reading them", () => {
    expect(checkPlanFile("image/png", 1000)).toBeNull();
    expect(checkPlanFile("", 1000)).toBeNull();
    expect(checkPlanFile("image/webp", MAX_PLAN_BYTES)).toBeNull();
    expect(checkPlanFile("image/svg+xml", 10)).toContain("SVG");
    expect(checkPlanFile("image/gif", 10)).toContain("not a PNG");
    expect(checkPlanFile("image/png", 0)).toContain("empty");
    expect(checkPlanFile("image/jpeg", MAX_PLAN_BYTES + 1)).toContain("limit");
  });

  it("takes the base64 out of a data URL and builds one back", () => {
    expect(base64FromDataUrl("data:image/png;base64,iVBORw0=")).toBe("iVBORw0=");
    expect(base64FromDataUrl("data:;base64,QQ==")).toBe("QQ==");
    expect(base64FromDataUrl("data:text/plain,hello")).toBeNull();
    expect(base64FromDataUrl("iVBORw0=")).toBeNull();
    expect(planDataUrl("image/png", "QQ==")).toBe("data:image/png;base64,QQ==");
  });
});
