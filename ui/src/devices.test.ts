// @vitest-environment jsdom
import { describe, expect, it } from "vitest";
import type { Device } from "./generated/bindings";
import { device as baseDevice } from "./fixtures";
import { countLine, deviceRow, errorBanner, headerRow } from "./devices";
import { buildRows } from "./devicequery";
import { toApiError } from "./apierror";
import { toElement } from "./html";

function device(overrides: Partial<Device> = {}): Device {
  return baseDevice({ id: "0192e4a0-0000-7000-8000-000000000001", name: "core-r1", ...overrides });
}

const row = (d: Device, v = { selected: false, cursor: false }): HTMLElement => {
  const [r] = buildRows([d], new Map(), new Map());
  if (r === undefined) throw new Error("no row");
  return toElement(deviceRow(r, 0, v, Date.parse("2026-03-01T12:00:00Z")));
};

const cellText = (el: Element): string[] =>
  [...el.querySelectorAll("[role=gridcell]")].map((c) => (c.textContent ?? "").replace(/\s+/g, " ").trim());

describe("device rows", () => {
  it("mark a state from before the start as last known until a poll confirms it", () => {
    const d = device();
    const stale = { deviceId: d.id, state: "down" as const, rttMs: null, lossPct: null, lastSeen: null, lastPoll: null, stale: true, since: "2026-03-01T10:00:00Z" };
    const [r] = buildRows([d], new Map([[d.id, stale]]), new Map());
    if (r === undefined) throw new Error("no row");
    const pill = toElement(deviceRow(r, 0, { selected: false, cursor: false }, Date.parse("2026-03-01T12:00:00Z"))).querySelector(".state-pill");
    expect(pill?.classList.contains("stale")).toBe(true);
    expect(pill?.getAttribute("title")).toMatch(/before Meridian started/);
    expect(pill?.textContent).toBe("down (last known)");
    const [fresh] = buildRows([d], new Map([[d.id, { ...stale, stale: false, since: null }]]), new Map());
    if (fresh === undefined) throw new Error("no row");
    const freshPill = toElement(deviceRow(fresh, 0, { selected: false, cursor: false }, 0)).querySelector(".state-pill");
    expect(freshPill?.classList.contains("stale")).toBe(false);
  });

  it("show name, address, state, alarm, kind, vendor, model, site, tags, last seen and enabled", () => {
    const d = device({ address: "127.0.0.2", kind: "switch", vendor: "Cisco", model: "C9300", siteName: "Lab A", tags: ["core", "ptp"] });
    const [r] = buildRows(
      [d],
      new Map([["0192e4a0-0000-7000-8000-000000000001", { deviceId: d.id, state: "up", rttMs: 1, lossPct: 0, lastSeen: "2026-03-01T11:59:00Z", lastPoll: null, stale: false, since: null }]]),
      new Map([[d.id, "warning"]]),
    );
    if (r === undefined) throw new Error("no row");
    const el = toElement(deviceRow(r, 0, { selected: false, cursor: false }, Date.parse("2026-03-01T12:00:00Z")));
    const cells = cellText(el);
    // An up device with an active warning shows both.
    expect(cells.slice(1, 10)).toEqual(["core-r1", "127.0.0.2", "up", "warning", "switch", "Cisco", "C9300", "Lab A", "coreptp"]);
    expect(cells[10]).toMatch(/^2026-03-01 \d\d:59$/);
    expect(cells[11]).toBe("enabled");
    expect(el.querySelector(".sev.sev-warning")).not.toBeNull();
    expect(el.querySelector(".state-pill.st-up")).not.toBeNull();
  });

  it("show dashes and never for what is unknown, and mark disabled devices", () => {
    const el = row(device({ enabled: false }));
    const cells = cellText(el);
    expect(cells.slice(3, 9)).toEqual(["unknown", "—", "router", "—", "—", "—"]);
    expect(cells[10]).toBe("never");
    expect(el.querySelector(".dt-row")?.classList.contains("is-disabled")).toBe(true);
  });

  it("carry the selection and the cursor, and a link to the device page", () => {
    const el = row(device({ id: "dev-1", name: "r<1>" }), { selected: true, cursor: true });
    const r = el.querySelector(".dt-row");
    expect(r?.classList.contains("selected")).toBe(true);
    expect(r?.classList.contains("cursor")).toBe(true);
    expect(r?.getAttribute("aria-selected")).toBe("true");
    expect(el.querySelector<HTMLInputElement>("input.dt-check")?.checked).toBe(true);
    expect(el.querySelector("a")?.getAttribute("href")).toBe("#/device/dev-1");
    expect(el.querySelector("button[data-action=menu]")?.getAttribute("aria-label")).toBe("Actions for r<1>");
  });

  it("show markup in user-supplied fields as text", () => {
    const el = row(device({ name: "<img src=x onerror=alert(1)>", address: "<script>alert(2)</script>", tags: ['"><b>x'] }));
    expect(el.querySelector("img")).toBeNull();
    expect(el.querySelector("script")).toBeNull();
    expect(el.querySelector("b")).toBeNull();
    expect(el.querySelector(".name a")?.textContent).toBe("<img src=x onerror=alert(1)>");
    expect(el.querySelector(".address code")?.textContent).toBe("<script>alert(2)</script>");
  });
});

describe("table header and counts", () => {
  it("marks the sorted column and its direction, and the select-all state", () => {
    const el = toElement(headerRow({ key: "address", dir: -1 }, "some"));
    expect(el.querySelector("[aria-sort=descending] button")?.getAttribute("data-sort")).toBe("address");
    expect(el.querySelectorAll("[aria-sort=none]").length).toBe(9);
    const all = el.querySelector<HTMLInputElement>("#dt-all");
    expect(all?.indeterminate).toBe(true);
    expect(all?.checked).toBe(false);
  });

  it("counts shown, total and selected devices", () => {
    expect(countLine(3, 3, 0)).toBe("3 devices");
    expect(countLine(1, 1, 0)).toBe("1 device");
    expect(countLine(2, 10, 1)).toBe("2 of 10 devices · 1 selected");
  });
});

describe("errors", () => {
  it("renders the kind, the detail and field messages as text", () => {
    const el = toElement(
      errorBanner({
        kind: "validation",
        detail: "device <name> is invalid",
        fields: [{ field: "address", message: "not an IP & <b>not</b> a hostname" }],
      }),
    );
    expect(el.querySelector("[role=alert]")).not.toBeNull();
    expect(el.querySelector(".kind")?.textContent).toBe("validation");
    expect(el.querySelector(".detail")?.textContent).toBe("device <name> is invalid");
    expect(el.querySelector("li")?.textContent).toBe("address: not an IP & <b>not</b> a hostname");
    expect(el.querySelector("b")).toBeNull();
  });

  it("keeps a serialised ApiError as it is", () => {
    expect(toApiError({ kind: "in_use", detail: "data dir locked", fields: [] })).toEqual({
      kind: "in_use",
      detail: "data dir locked",
      fields: [],
    });
  });

  it("turns Tauri's string rejections and thrown errors into internal errors", () => {
    expect(toApiError("command list_devices not found")).toEqual({
      kind: "internal",
      detail: "command list_devices not found",
      fields: [],
    });
    expect(toApiError(new TypeError("window.__TAURI_INTERNALS__ is undefined")).detail).toContain("__TAURI_INTERNALS__");
    expect(toApiError({ kind: "bogus", detail: "x" }).kind).toBe("internal");
  });
});
