import { describe, expect, it } from "vitest";
import type { DeviceLive, InterfaceView } from "./generated/bindings";
import {
  deviceHash,
  identityHtml,
  interfaceName,
  interfaceOptionsHtml,
  interfacesHtml,
  parseDeviceHash,
  stateOf,
  statesHtml,
} from "./devicehtml";
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

describe("identity", () => {
  it("shows identity and live values, escaped, without style attributes", () => {
    const d = device({ name: "r<1>", vendor: "<b>Acme</b>", model: null, siteName: "Lab A", tags: ["core"] });
    const live: DeviceLive = { deviceId: "dev-1", state: "degraded", rttMs: 1.234, lossPct: 25, lastSeen: "2026-03-01T11:59:50Z", lastPoll: null };
    const html = identityHtml(d, live, NOW);
    expect(html).toContain("<code>127.0.0.1</code>");
    expect(html).toContain("&lt;b&gt;Acme&lt;/b&gt;");
    expect(html).not.toContain("<b>");
    expect(html).toContain("Lab A");
    expect(html).toContain('<span class="tag">core</span>');
    expect(html).toContain("10 s ago");
    expect(html).toContain("1.23 ms");
    expect(html).toContain("25 %");
    expect(html).not.toContain("style=");
    expect(stateOf(live)).toBe("degraded");
  });

  it("says never and unknown without live data", () => {
    const html = identityHtml(device(), undefined, NOW);
    expect(html).toContain("never");
    expect(stateOf(undefined)).toBe("unknown");
  });
});

describe("state history", () => {
  it("lists changes with both states as pills", () => {
    const html = statesHtml([{ at: "2026-03-01T11:00:00Z", from: "up", to: "down" }]);
    expect(html).toContain('datetime="2026-03-01T11:00:00Z"');
    expect(html).toContain('<span class="state-pill st-up">up</span> → <span class="state-pill st-down">down</span>');
    expect(statesHtml([])).toContain("No state changes");
  });
});

describe("interfaces", () => {
  it("renders name, alias, statuses, speed and current rates, marking the charted one", () => {
    const html = interfacesHtml(
      [iface(), iface({ ifIndex: 2, name: null, descr: null, alias: "<uplink>", operStatus: "down", inBps: 0, speedBps: null })],
      2,
    );
    expect(html.match(/<tr data-if=/g)).toHaveLength(2);
    expect(html).toContain("<td>eth0</td>");
    expect(html).toContain("ifIndex 2");
    expect(html).toContain("&lt;uplink&gt;");
    expect(html).toContain('<span class="if-status if-down">down</span>');
    expect(html).toContain("1 Gbit/s");
    expect(html).toContain("1.50 Mbit/s");
    expect(html).toContain("0 bit/s");
    expect(html).toContain('<tr data-if="2" class="selected" aria-current="true">');
    expect(html).not.toContain("style=");
    expect(interfacesHtml([], null)).toContain("No interfaces");
  });

  it("offers interfaces in the chart's select box with the chosen one selected", () => {
    const html = interfaceOptionsHtml([iface(), iface({ ifIndex: 7, name: "wan", alias: "ISP" })], 7);
    expect(html).toContain('<option value="1">eth0</option>');
    expect(html).toContain('<option value="7" selected>wan (ISP)</option>');
    expect(interfaceName({ name: null, descr: "Port 3", ifIndex: 3 })).toBe("Port 3");
  });
});
