// @vitest-environment jsdom
import { describe, expect, it } from "vitest";
import type { Device } from "./generated/bindings";
import { device as baseDevice } from "./fixtures";
import { drawDevices, errorBanner } from "./devices";
import { toApiError } from "./apierror";
import { toElement } from "./html";

function device(overrides: Partial<Device> = {}): Device {
  return baseDevice({ id: "0192e4a0-0000-7000-8000-000000000001", name: "core-r1", ...overrides });
}

function table(devices: Device[], live?: Parameters<typeof drawDevices>[2]): HTMLElement {
  const el = document.createElement("div");
  drawDevices(el, devices, live);
  return el;
}

const cells = (tr: Element | null | undefined): string[] =>
  [...(tr?.querySelectorAll("td") ?? [])].map((td) => (td.textContent ?? "").replace(/\s+/g, " ").trim());

describe("device table", () => {
  it("shows the empty state with the CLI hint when there are no devices", () => {
    const el = table([]);
    expect(el.textContent).toContain("No devices yet");
    expect(el.querySelector("code")?.textContent).toBe("meridian device add NAME ADDRESS");
    expect(el.querySelector("table")).toBeNull();
  });

  it("renders one row per device with name, address, kind, site, tags and state", () => {
    const el = table([
      device({ id: "b", name: "edge-sw2", address: "127.0.0.2", kind: "switch", siteName: "Lab A", tags: ["core", "ptp"] }),
      device({ id: "a", name: "core-r1", enabled: false }),
    ]);
    const rows = el.querySelectorAll("tbody tr[data-id]");
    expect(rows).toHaveLength(2);
    // sorted by name, so core-r1 comes first
    expect(rows[0]?.getAttribute("data-id")).toBe("a");
    expect(cells(rows[1]).slice(0, 7)).toEqual(["edge-sw2", "127.0.0.2", "switch", "Lab A", "coreptp", "enabled", "unknown"]);
    expect([...(rows[1]?.querySelectorAll(".tag") ?? [])].map((t) => t.textContent)).toEqual(["core", "ptp"]);
    expect(rows[0]?.querySelector(".state.off")?.textContent).toBe("disabled");
    expect(rows[1]?.querySelector(".state.on")?.textContent).toBe("enabled");
  });

  it("falls back to the site id, then a dash, when the site has no name", () => {
    expect(cells(table([device({ siteId: "site-7" })]).querySelector("tbody tr"))[3]).toBe("site-7");
    expect(table([device()]).querySelector("tbody td:nth-child(4) .muted")?.textContent).toBe("—");
  });

  it("shows markup in user-supplied fields as text", () => {
    const el = table([
      device({ name: "<img src=x onerror=alert(1)>", address: "<script>alert(2)</script>", tags: ['"><b>x'] }),
    ]);
    expect(el.querySelector("img")).toBeNull();
    expect(el.querySelector("script")).toBeNull();
    expect(el.querySelector("b")).toBeNull();
    expect(el.querySelector("td.name a")?.textContent).toBe("<img src=x onerror=alert(1)>");
    expect(el.querySelector("td.address code")?.textContent).toBe("<script>alert(2)</script>");
    expect(el.querySelector(".tag")?.textContent).toBe('"><b>x');
  });
});

describe("device table state and actions", () => {
  it("shows the live state (unknown without data) and labelled Edit and Remove buttons per row", () => {
    const d = device({ id: "dev-1", name: "r<1>" });
    const live = new Map([["dev-1", { deviceId: "dev-1", state: "down" as const, rttMs: null, lossPct: 100, lastSeen: null, lastPoll: null }]]);
    const el = table([d], live);
    const pill = el.querySelector(".state-pill");
    expect(pill?.className).toBe("state-pill st-down");
    expect(pill?.textContent).toBe("down");
    expect(table([d]).querySelector(".state-pill")?.classList.contains("st-unknown")).toBe(true);
    expect(el.querySelector("td.name a")?.getAttribute("href")).toBe("#/device/dev-1");
    const buttons = [...el.querySelectorAll("button[data-action]")];
    expect(buttons.map((b) => [b.getAttribute("data-action"), b.getAttribute("data-id"), b.getAttribute("aria-label")])).toEqual([
      ["edit", "dev-1", "Edit r<1>"],
      ["remove", "dev-1", "Remove r<1>"],
    ]);
  });

  it("returns the state cells so one pill can be redrawn", () => {
    const el = document.createElement("div");
    const cells = drawDevices(el, [device({ id: "dev-1" })]);
    expect(cells.get("dev-1")?.textContent?.trim()).toBe("unknown");
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
