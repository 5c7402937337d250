// @vitest-environment jsdom
import { describe, expect, it } from "vitest";
import type { SyslogEntry, TrapEvent } from "./generated/bindings";
import { toElement } from "./html";
import { deviceOptions, eventsTable } from "./eventlist";
import { device } from "./fixtures";
import { filterFrom, mergeEvents, NO_FILTER, shorten, SHORT_TEXT, syslogQuery, trapMatches, trapRow, syslogRow } from "./eventmodel";

const XSS = "<img src=x onerror=alert(1)>";

function trap(over: Partial<TrapEvent> = {}): TrapEvent {
  return {
    id: "t1",
    receivedAt: "2026-12-03T10:00:02Z",
    sourceAddr: "127.0.0.1",
    sourcePort: 40000,
    version: "v2c",
    pdu: "trap",
    user: null,
    communityMatched: null,
    engineId: null,
    trapOid: "1.3.6.1.6.3.1.1.5.3",
    trapName: "linkDown",
    uptime: 100,
    varbinds: [
      { oid: "1.3.6.1.2.1.2.2.1.1.2", type: "integer", value: "2", name: "ifIndex" },
      { oid: "1.3.6.1.2.1.2.2.1.7.2", type: "integer", value: "1", name: "ifAdminStatus" },
    ],
    deviceId: "dev-1",
    deviceName: "r1",
    rawHex: null,
    error: null,
    ...over,
  };
}

function line(over: Partial<SyslogEntry> = {}): SyslogEntry {
  return {
    id: 7,
    receivedAt: "2026-12-03T10:00:01Z",
    source: "127.0.0.2",
    deviceId: null,
    deviceName: null,
    format: "rfc5424",
    error: null,
    truncated: false,
    facility: 1,
    severity: "error",
    deviceTime: null,
    host: "h",
    app: "bgpd",
    procid: null,
    msgid: null,
    structuredData: [],
    message: "neighbor 10.0.0.1 Down",
    ...over,
  };
}

describe("rows", () => {
  it("a trap's text is its varbinds as name = value, one a line; the OID stands in for a missing name", () => {
    const r = trapRow(trap({ varbinds: [{ oid: "1.3.6.1.4.1.9.1", type: "octets", value: "x y", name: null }] }));
    expect(r).toMatchObject({ key: "trap-t1", kind: "trap", what: "linkDown", oid: "1.3.6.1.6.3.1.1.5.3", text: "1.3.6.1.4.1.9.1 = x y" });
    expect(trapRow(trap()).text).toBe("ifIndex = 2\nifAdminStatus = 1");
    const header = [
      { oid: "1.3.6.1.2.1.1.3.0", type: "timeticks", value: "3513512", name: "sysUpTime.0" },
      { oid: ".1.3.6.1.6.3.1.1.4.1.0", type: "oid", value: ".1.3.6.1.6.3.1.1.5.3", name: "snmpTrapOID.0" },
    ];
    expect(trapRow(trap({ varbinds: [...header, ...trap().varbinds] })).text).toBe("ifIndex = 2\nifAdminStatus = 1");
  });

  it("a varbind's value shows as its MIB says when the receiver decoded it (enumeration, textual convention)", () => {
    const decoded = [
      { oid: "1.3.6.1.2.1.2.2.1.8.2", type: "INTEGER", value: "2", name: "ifOperStatus.2", display: "down(2)" },
      { oid: "1.3.6.1.2.1.2.2.1.6.2", type: "Hex-STRING", value: "52 54 00 12 34 56", name: "ifPhysAddress.2", display: "52:54:0:12:34:56" },
    ];
    expect(trapRow(trap({ varbinds: decoded })).text).toBe("ifOperStatus.2 = down(2)\nifPhysAddress.2 = 52:54:0:12:34:56");
  });

  it("informs and malformed datagrams keep their kind; a malformed one shows why and its bytes", () => {
    expect(trapRow(trap({ pdu: "inform" })).kind).toBe("inform");
    const bad = trapRow(trap({ pdu: "malformed", trapName: null, trapOid: null, varbinds: [], error: "pdu: truncated", rawHex: "3082" }));
    expect(bad).toMatchObject({ kind: "malformed", what: "", text: "pdu: truncated\n3082" });
  });

  it("syslog rows carry severity and app; malformed lines say so", () => {
    expect(syslogRow(line())).toMatchObject({ key: "syslog-7", kind: "syslog", severity: "error", what: "bgpd", text: "neighbor 10.0.0.1 Down" });
    const bad = syslogRow(line({ format: "malformed", severity: null, app: null, error: "no PRI", message: "garbage" }));
    expect(bad).toMatchObject({ kind: "malformed", severity: null, text: "no PRI\ngarbage" });
  });
});

describe("merging and filtering", () => {
  const traps = [trap({ id: "old", receivedAt: "2026-12-03T09:00:00Z" }), trap({ id: "new", receivedAt: "2026-12-03T11:00:00Z" })];
  const syslog = [line({ id: 1, receivedAt: "2026-12-03T10:00:00Z" })];

  it("newest first across both sources, at most the limit", () => {
    expect(mergeEvents(traps, syslog, NO_FILTER, 10).map((r) => r.key)).toEqual(["trap-new", "syslog-1", "trap-old"]);
    expect(mergeEvents(traps, syslog, NO_FILTER, 2).map((r) => r.key)).toEqual(["trap-new", "syslog-1"]);
  });

  it("the kind filter keeps one source", () => {
    expect(mergeEvents(traps, syslog, { ...NO_FILTER, kind: "traps" }, 10).map((r) => r.kind)).toEqual(["trap", "trap"]);
    expect(mergeEvents(traps, syslog, { ...NO_FILTER, kind: "syslog" }, 10).map((r) => r.key)).toEqual(["syslog-1"]);
  });

  it("traps match every word in name, OID or varbinds, case-insensitively, and the device", () => {
    const t = trap();
    expect(trapMatches(t, { ...NO_FILTER, text: "LINKDOWN" })).toBe(true);
    expect(trapMatches(t, { ...NO_FILTER, text: "1.3.6.1.6.3.1.1.5.3" })).toBe(true);
    expect(trapMatches(t, { ...NO_FILTER, text: "ifadminstatus 2" })).toBe(true);
    expect(trapMatches(t, { ...NO_FILTER, text: "linkDown bgp" })).toBe(false);
    expect(trapMatches(t, { ...NO_FILTER, device: "dev-2" })).toBe(false);
    expect(mergeEvents([t, trap({ id: "u", trapName: "linkUp" })], [], { ...NO_FILTER, text: "linkup" }, 10).map((r) => r.key)).toEqual(["trap-u"]);
  });

  it("the syslog half goes to the service with only the filters given", () => {
    expect(syslogQuery({ kind: "both", text: "  ", device: null, severity: null }, 200)).toEqual({
      text: null,
      device: null,
      severity: null,
      since: null,
      until: null,
      limit: 200,
    });
    expect(syslogQuery({ kind: "both", text: " bgp down ", device: "d", severity: "warning" }, 5)).toMatchObject({
      text: "bgp down",
      device: "d",
      severity: "warning",
    });
  });

  it("the form's values become a filter; unknown choices fall back to none", () => {
    expect(filterFrom({ kind: "syslog", text: "x", device: "d1", severity: "error" })).toEqual({ kind: "syslog", text: "x", device: "d1", severity: "error" });
    expect(filterFrom({ kind: "?", text: "", device: "", severity: "loud" })).toEqual(NO_FILTER);
  });
});

describe("shorten", () => {
  it("keeps short single lines, joins lines and cuts long text with an ellipsis", () => {
    expect(shorten("a = 1")).toEqual({ short: "a = 1", cut: false });
    expect(shorten("a = 1\nb = 2")).toEqual({ short: "a = 1; b = 2", cut: true });
    const long = shorten("x".repeat(SHORT_TEXT + 10));
    expect(long.cut).toBe(true);
    expect(long.short).toHaveLength(SHORT_TEXT);
    expect(long.short.endsWith("…")).toBe(true);
  });
});

describe("the table", () => {
  it("shows what a device sent as text, never as markup", () => {
    const rows = mergeEvents(
      [trap({ trapName: XSS, deviceName: XSS, varbinds: [{ oid: "1.2", type: "octets", value: XSS, name: XSS }] })],
      [line({ message: XSS, app: XSS, source: XSS })],
      NO_FILTER,
      10,
    );
    const el = toElement(eventsTable(rows, true));
    expect(el.querySelector("img")).toBeNull();
    expect(el.querySelectorAll("tbody tr")).toHaveLength(2);
    expect(el.textContent).toContain(XSS);
    expect(el.textContent).toContain(`${XSS} = ${XSS}`);
  });

  it("names unknown sources, and puts long text in a details row", () => {
    const many = Array.from({ length: 30 }, (_, i) => ({ oid: `1.3.6.${i}`, type: "integer", value: String(i), name: `v${i}` }));
    const el = toElement(eventsTable(mergeEvents([trap({ deviceName: null, deviceId: null, varbinds: many })], [], NO_FILTER, 10), true));
    expect(el.querySelector("td.name")?.textContent).toBe("unknown source");
    expect(el.querySelector("details summary")?.textContent).toContain("v0 = 0; v1 = 1");
    expect(el.querySelector("details pre")?.textContent).toContain("v29 = 29");
    expect(el.querySelector("tbody tr")?.getAttribute("data-kind")).toBe("trap");
  });

  it("says when nothing matches, or that it is still loading", () => {
    expect(toElement(eventsTable([], true)).textContent).toContain("No events match");
    expect(toElement(eventsTable([], false)).textContent).toContain("Loading");
  });

  it("lists devices by name for the filter, every device first", () => {
    const el = toElement(deviceOptions([device({ id: "b", name: "zeta" }), device({ id: "a", name: XSS })]), "select");
    expect([...el.querySelectorAll("option")].map((o) => [o.value, o.textContent])).toEqual([
      ["", "every device"],
      ["a", XSS],
      ["b", "zeta"],
    ]);
  });
});
