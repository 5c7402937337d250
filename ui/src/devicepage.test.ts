// @vitest-environment jsdom
import { describe, expect, it } from "vitest";
import type { DeviceLive, InterfaceView } from "./generated/bindings";
import { deviceHash, identity, interfaceName, interfaceOptions, interfacesTable, parseDeviceHash, stateOf, statesList, uptimeText } from "./devicehtml";
import { formatIsoDateTime } from "./format";
import { toElement } from "./html";
import { device } from "./fixtures";

const NOW = Date.parse("2026-03-01T12:00:00Z");

function iface(overrides: Partial<InterfaceView> = {}): InterfaceView {
  return {
    ifIndex: 1,
    name: "eth0",
    descr: "Ethernet 0",
    alias: null,
    speedBps: 1_000_000_000,
    adminStatus: "up",
    operStatus: "up",
    inBps: 1_500_000,
    outBps: null,
    updatedAt: "2026-03-01T11:59:00Z",
    ...overrides,
  };
}

describe("routing", () => {
  it("reads the device id from #/device/<id> and nothing else", () => {
    expect(parseDeviceHash("#/device/0192e4a0-0000-7000-8000-000000000001")).toBe("0192e4a0-0000-7000-8000-000000000001");
    expect(parseDeviceHash("#/device/r%201")).toBe("r 1");
    expect(parseDeviceHash("")).toBeNull();
    expect(parseDeviceHash("#/device/")).toBeNull();
    expect(parseDeviceHash("#/device/a/b")).toBeNull();
    expect(parseDeviceHash("#/devices")).toBeNull();
    expect(parseDeviceHash("#/device/%E0%A4%A")).toBeNull();
  });

  it("round-trips ids through the hash", () => {
    for (const id of ["dev-1", "a b", "x/y?z#"]) expect(parseDeviceHash(deviceHash(id))).toBe(id);
  });
});

const facts = (el: HTMLElement): Record<string, string> =>
  Object.fromEntries([...el.querySelectorAll("dl > div")].map((d) => [d.querySelector("dt")?.textContent ?? "", (d.querySelector("dd")?.textContent ?? "").trim()]));

describe("identity", () => {
  it("shows identity and live values, markup as text, without style attributes", () => {
    const d = device({ name: "r<1>", vendor: "<img src=x onerror=alert(1)>", model: null, siteName: "Lab A", tags: ["core"] });
    const live: DeviceLive = { deviceId: "dev-1", state: "degraded", rttMs: 1.234, lossPct: 25, lastSeen: "2026-03-01T11:59:50Z", lastPoll: null, stale: false, since: null };
    const el = toElement(identity(d, live, NOW));
    expect(el.querySelector("img")).toBeNull();
    expect(facts(el)).toMatchObject({
      Address: "127.0.0.1",
      Vendor: "<img src=x onerror=alert(1)>",
      Model: "—",
      Site: "Lab A",
      Tags: "core",
      "Last seen": "10 s ago",
      RTT: "1.23 ms",
      Loss: "25 %",
      Uptime: "unknown",
    });
    expect(el.querySelector(".tag")?.textContent).toBe("core");
    expect(el.querySelector("[style]")).toBeNull();
    expect(stateOf(live)).toBe("degraded");
  });

  it("shows the agent's uptime: sysUpTime at the last answer plus the time since", () => {
    const base: DeviceLive = { deviceId: "dev-1", state: "up", rttMs: null, lossPct: null, lastSeen: null, lastPoll: null, stale: false, since: null };
    // 12 d 2 h 59 min at the answer, an hour ago: 12 d 3 h (the two largest units).
    const live = { ...base, uptimeSecs: ((12 * 24 + 2) * 60 + 59) * 60, uptimeAt: new Date(NOW - 3600_000).toISOString() };
    expect(uptimeText(live, NOW)).toBe("12 d 3 h");
    expect(facts(toElement(identity(device(), live, NOW)))["Uptime"]).toBe("12 d 3 h");
    expect(uptimeText(base, NOW)).toBe("unknown");
    expect(uptimeText(undefined, NOW)).toBe("unknown");
    expect(uptimeText({ ...live, uptimeAt: "garbage" }, NOW)).toBe("unknown");
  });

  it("adds what the agent said about itself, the description as text on its own line", () => {
    const snmp = {
      sysName: "core-sw1",
      sysDescr: "Cisco IOS Software, <b>C3750</b>\nVersion 15.0(2)SE",
      sysObjectId: "1.3.6.1.4.1.9.1.516",
      identifiedAt: "2026-03-01T11:00:00Z",
    };
    const el = toElement(identity(device(), undefined, NOW, snmp));
    expect(facts(el)).toMatchObject({ sysName: "core-sw1", sysObjectID: "1.3.6.1.4.1.9.1.516", Identified: "1 h ago" });
    expect(facts(el)["Description"]).toBe("Cisco IOS Software, <b>C3750</b>\nVersion 15.0(2)SE");
    expect(el.querySelector("b")).toBeNull();
    expect(facts(toElement(identity(device(), undefined, NOW)))).not.toHaveProperty("sysName");
  });

  it("says never and unknown without live data", () => {
    expect(facts(toElement(identity(device(), undefined, NOW)))["Last seen"]).toBe("never");
    expect(stateOf(undefined)).toBe("unknown");
  });
});

describe("state history", () => {
  it("lists changes with an ISO local time and both states as pills", () => {
    const el = toElement(statesList([{ at: "2026-03-01T11:00:00Z", from: "up", to: "down" }]), "ul");
    const time = el.querySelector("time");
    expect(time?.getAttribute("datetime")).toBe("2026-03-01T11:00:00Z");
    expect(time?.textContent).toBe(formatIsoDateTime(new Date("2026-03-01T11:00:00Z"), { seconds: true }));
    expect([...el.querySelectorAll(".state-pill")].map((p) => [p.className, p.textContent])).toEqual([
      ["state-pill st-up", "up"],
      ["state-pill st-down", "down"],
    ]);
    expect(toElement(statesList([]), "ul").textContent).toContain("No state changes");
  });
});

describe("interfaces", () => {
  it("renders name, alias, statuses, speed and current rates, marking the charted one", () => {
    const el = toElement(
      interfacesTable(
        [iface(), iface({ ifIndex: 2, name: null, descr: null, alias: "<uplink>", operStatus: "down", inBps: 0, speedBps: null })],
        2,
      ),
    );
    const rows = [...el.querySelectorAll("tbody tr")];
    expect(rows.map((r) => r.getAttribute("data-if"))).toEqual(["1", "2"]);
    const cells = (r: Element | undefined): string[] => [...(r?.querySelectorAll("td") ?? [])].map((c) => (c.textContent ?? "").trim());
    expect(cells(rows[0])).toEqual(["1", "eth0", "—", "up", "up", "1 Gbit/s", "1.50 Mbit/s", "—"]);
    expect(cells(rows[1])).toEqual(["2", "ifIndex 2", "<uplink>", "up", "down", "unknown", "0 bit/s", "—"]);
    const zero = toElement(interfacesTable([iface({ speedBps: 0 })], null));
    expect(zero.querySelectorAll("td")[5]?.textContent?.trim()).toBe("unknown");
    expect(rows[1]?.querySelector(".if-status.if-down")?.textContent).toBe("down");
    expect([rows[1]?.className, rows[1]?.getAttribute("aria-current")]).toEqual(["selected", "true"]);
    expect(rows[0]?.hasAttribute("class")).toBe(false);
    expect(el.querySelector("[style]")).toBeNull();
    expect(toElement(interfacesTable([], null)).textContent).toContain("No interfaces");
  });

  it("offers interfaces in the chart's select box with the chosen one selected", () => {
    const select = toElement(interfaceOptions([iface(), iface({ ifIndex: 7, name: "wan", alias: "ISP" })], 7), "select") as HTMLSelectElement;
    expect([...select.options].map((o) => [o.value, o.textContent])).toEqual([
      ["1", "eth0"],
      ["7", "wan (ISP)"],
    ]);
    expect(select.value).toBe("7");
    expect(interfaceName({ name: null, descr: "Port 3", ifIndex: 3 })).toBe("Port 3");
  });
});
