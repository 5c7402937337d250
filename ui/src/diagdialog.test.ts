// @vitest-environment jsdom
import { describe, expect, it } from "vitest";
import type { DeviceWalk, PingResult, VarBindView } from "./generated/bindings";
import { device } from "./fixtures";
import { filterRows, pingReport, varbindText, walkReport } from "./diagdialog";
import { menuItems } from "./devicemenu";
import { toElement } from "./html";

const vb = (oid: string, type: string, value: number | string | null): VarBindView => ({ oid, type, value, name: null, display: null });

const text = (el: Element): string => (el.textContent ?? "").replace(/\s+/g, " ").trim();

describe("the device menu", () => {
  it("offers ping to every device and a walk only to a device with a credential", () => {
    const plain = menuItems(device({ credentialId: null }), 1, true).map((i) => i.action);
    expect(plain).toContain("ping");
    expect(plain).not.toContain("walk");
    const snmp = menuItems(device({ credentialId: "0192e4a0-0000-7000-8000-0000000000c1" }), 1, true).map((i) => i.action);
    expect(snmp.slice(0, 4)).toEqual(["open", "edit", "ping", "walk"]);
  });
});

describe("walk results", () => {
  const walk: DeviceWalk = {
    device: "core-r1",
    agent: "127.0.0.1:161",
    truncated: false,
    rows: [
      vb(".1.3.6.1.2.1.1.5.0", "STRING", "<img src=x onerror=alert(1)>"),
      vb(".1.3.6.1.2.1.1.3.0", "Timeticks", 4242),
      vb(".1.3.6.1.2.1.2.2.1.6.1", "Hex-STRING", "00 1A 2B"),
      vb(".1.3.6.1.2.1.99.0", "noSuchObject", null),
    ],
  };

  it("prints values in net-snmp's TYPE: value shape", () => {
    expect(walk.rows.map(varbindText)).toEqual([
      'STRING: "<img src=x onerror=alert(1)>"',
      "Timeticks: 4242",
      "Hex-STRING: 00 1A 2B",
      "noSuchObject",
    ]);
  });

  it("filters on OID and value, case-insensitively", () => {
    expect(filterRows(walk.rows, "1.1.3").map((r) => r.oid)).toEqual([".1.3.6.1.2.1.1.3.0"]);
    expect(filterRows(walk.rows, "hex").map((r) => r.oid)).toEqual([".1.3.6.1.2.1.2.2.1.6.1"]);
    expect(filterRows(walk.rows, "  ")).toHaveLength(4);
  });

  it("shows a device's strings as text, counts what the filter keeps and says when it stopped", () => {
    const el = toElement(walkReport(walk, "timeticks"));
    expect(el.querySelectorAll("tbody tr")).toHaveLength(1);
    expect(text(el)).toContain("1 of 4 rows from 127.0.0.1:161");
    const all = toElement(walkReport({ ...walk, truncated: true }, ""));
    expect(all.querySelector("img")).toBeNull();
    expect(text(all)).toContain('STRING: "<img src=x onerror=alert(1)>"');
    expect(text(all)).toContain("stopped at 5,000 rows");
    expect(text(toElement(walkReport({ ...walk, rows: [] }, "")))).toContain("Nothing under this subtree");
  });
});

describe("ping results", () => {
  const r: PingResult = {
    address: "127.0.0.1",
    sent: 4,
    received: 3,
    lossPercent: 25,
    rttMinMs: 0.04,
    rttAvgMs: 0.05,
    rttMaxMs: 0.07,
    jitterMs: 0.01,
    rttsMs: [0.04, null, 0.05, 0.07],
    error: null,
  };

  it("says how many answered, the loss, and each request's RTT or 'lost'", () => {
    const el = toElement(pingReport(device({ name: "core-r1" }), r));
    expect(text(el)).toContain("core-r1 (127.0.0.1): 3 of 4 answered, 25 % loss — some requests lost");
    expect([...el.querySelectorAll(".diag-rtts li")].map(text)).toEqual(["0.04 ms", "lost", "0.05 ms", "0.07 ms"]);
    expect(el.querySelector(".diag-error")).toBeNull();
  });

  it("marks a device that never answered and shows the ICMP error", () => {
    const dead = { ...r, received: 0, lossPercent: 100, rttMinMs: null, rttAvgMs: null, rttMaxMs: null, jitterMs: null, rttsMs: [null, null], error: "host unreachable" };
    const el = toElement(pingReport(device(), dead));
    expect(el.querySelector(".diag-summary.bad")).not.toBeNull();
    expect(text(el)).toContain("no reply");
    expect(text(el.querySelector(".diag-error") as Element)).toBe("host unreachable");
  });
});
