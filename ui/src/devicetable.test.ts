// @vitest-environment jsdom
// The table's DOM wiring over jsdom: search, sort, selection, keyboard and
// context menu reach the right actions. jsdom lays nothing out (clientHeight
// 0), so the virtual list draws its overscan, 5 rows: enough for 4 devices.
import { beforeAll, describe, expect, it, vi } from "vitest";
import type { Device, DeviceLive, Severity, Site } from "./generated/bindings";
import { device } from "./fixtures";
import { DeviceTable, type DeviceTableDeps } from "./devicetable";

beforeAll(() => {
  globalThis.ResizeObserver ??= class {
    observe(): void {}
    unobserve(): void {}
    disconnect(): void {}
  };
});

const devs: Device[] = [
  device({ id: "a", name: "r10", address: "127.0.2.10", siteId: "s1", siteName: "HQ", tags: ["core"] }),
  device({ id: "b", name: "r2", address: "127.0.2.2", tags: ["core"] }),
  device({ id: "c", name: "sw1", address: "127.0.2.3", kind: "switch", enabled: false }),
];
const sites = new Map<string, Site>([["s1", { id: "s1", name: "HQ", lat: null, lon: null, hasFloorPlan: false, deviceCount: 1, createdAt: "", updatedAt: "", version: 1 }]]);

function setup(): { el: HTMLElement; t: DeviceTable; deps: DeviceTableDeps } {
  const el = document.createElement("div");
  document.body.replaceChildren(el);
  const deps: DeviceTableDeps = {
    live: () => new Map<string, DeviceLive>(),
    worst: () => new Map<string, Severity>(),
    open: vi.fn(),
    edit: vi.fn(),
    remove: vi.fn(),
    setEnabled: vi.fn(),
    bulkEdit: vi.fn(),
    ping: vi.fn(),
    walk: vi.fn(),
  };
  const t = new DeviceTable(el, deps);
  t.setData(new Map(devs.map((d) => [d.id, d])), sites);
  return { el, t, deps };
}

const names = (el: HTMLElement): string[] => [...el.querySelectorAll("#dt-list .dt-row .name")].map((n) => n.textContent ?? "");
const list = (el: HTMLElement): HTMLElement => el.querySelector("#dt-list") as HTMLElement;
const key = (el: HTMLElement, k: string, init: KeyboardEventInit = {}): void => {
  list(el).dispatchEvent(new KeyboardEvent("keydown", { key: k, bubbles: true, ...init }));
};

describe("devices table wiring", () => {
  it("draws rows by name, narrows on search and sorts by address on a header click", () => {
    const { el } = setup();
    expect(names(el)).toEqual(["r2", "r10", "sw1"]);
    const search = el.querySelector<HTMLInputElement>("#dt-search");
    if (search === null) throw new Error("no search");
    search.value = "core";
    search.dispatchEvent(new Event("input"));
    expect(names(el)).toEqual(["r2", "r10"]);
    expect(el.querySelector("#dt-count")?.textContent).toBe("2 of 3 devices");
    search.value = "";
    search.dispatchEvent(new Event("input"));
    el.querySelector<HTMLButtonElement>("button[data-sort=address]")?.click();
    expect(names(el)).toEqual(["r2", "sw1", "r10"]);
    expect(el.querySelector("[aria-sort=ascending] button")?.getAttribute("data-sort")).toBe("address");
  });

  it("filters by site from the toolbar", () => {
    const { el } = setup();
    const site = el.querySelector<HTMLSelectElement>("#dt-site");
    if (site === null) throw new Error("no site filter");
    site.value = "s1";
    site.dispatchEvent(new Event("change"));
    expect(names(el)).toEqual(["r10"]);
  });

  it("selects with checkboxes and shift-click, shows the bulk bar and hands the selection to bulk edit", () => {
    const { el, t, deps } = setup();
    el.querySelector<HTMLInputElement>('input.dt-check[data-id="b"]')?.click();
    el.querySelector<HTMLInputElement>('input.dt-check[data-id="c"]')?.dispatchEvent(new MouseEvent("click", { bubbles: true, shiftKey: true }));
    expect(t.selection.all().sort()).toEqual(["a", "b", "c"]);
    expect(el.querySelector<HTMLElement>("#dt-bulk")?.hidden).toBe(false);
    el.querySelector<HTMLButtonElement>("#dt-bulk-edit")?.click();
    expect(vi.mocked(deps.bulkEdit).mock.calls[0]?.[0].map((d) => d.name)).toEqual(["r2", "r10", "sw1"]);
  });

  it("moves with arrows, selects with Space, opens with Enter, asks to remove with Delete", () => {
    const { el, t, deps } = setup();
    key(el, "ArrowDown");
    key(el, "ArrowDown");
    expect(el.querySelector(".dt-row.cursor .name")?.textContent).toBe("r10");
    key(el, " ");
    expect(t.selection.all()).toEqual(["a"]);
    key(el, "Enter");
    expect(vi.mocked(deps.open).mock.calls[0]?.[0].id).toBe("a");
    key(el, "Delete");
    expect(vi.mocked(deps.remove).mock.calls[0]?.[0].id).toBe("a");
    key(el, "Escape");
    expect(t.selection.size).toBe(0);
  });

  it("opens a context menu (ping for every device, walk only with a credential) whose entries act on the row", () => {
    const { el, deps } = setup();
    el.querySelector(".dt-row[data-id=c] .name")?.dispatchEvent(new MouseEvent("contextmenu", { bubbles: true, cancelable: true }));
    const menu = el.querySelector<HTMLElement>("#dt-menu");
    expect(menu?.hidden).toBe(false);
    expect([...(menu?.querySelectorAll("button") ?? [])].map((b) => b.textContent)).toEqual(["Open", "Edit…", "Ping", "Enable", "Remove…"]);
    menu?.querySelector<HTMLButtonElement>("button[data-menu=toggle-enabled]")?.click();
    expect(vi.mocked(deps.setEnabled).mock.calls[0]?.map((x) => (typeof x === "object" ? x.id : x))).toEqual(["c", true]);
    expect(menu?.hidden).toBe(true);
    el.querySelector(".dt-row[data-id=c] .name")?.dispatchEvent(new MouseEvent("contextmenu", { bubbles: true, cancelable: true }));
    menu?.querySelector<HTMLButtonElement>("button[data-menu=ping]")?.click();
    expect(vi.mocked(deps.ping).mock.calls[0]?.[0]?.id).toBe("c");
  });
});
