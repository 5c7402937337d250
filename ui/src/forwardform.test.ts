// @vitest-environment jsdom
import { describe, expect, it } from "vitest";
import type { ForwardTargetView } from "./generated/bindings";
import { defaultPort, forwardFormErrors, forwardTable, forwardValuesOf, parseForwardForm, sendsText, type ForwardFormValues } from "./forwardform";
import { toElement } from "./html";

const form = (over: Partial<ForwardFormValues> = {}): ForwardFormValues => ({
  name: " noc ",
  enabled: true,
  type: "syslog",
  address: " 127.0.0.1 ",
  port: "",
  community: "",
  user: "",
  transport: "tls",
  caFile: "/etc/meridian/noc-ca.pem",
  serverName: "",
  certFile: "",
  keyFile: "",
  minSeverity: "major",
  ...over,
});

describe("the forwarding form", () => {
  it("builds a TLS syslog target with the well-known port, its CA file and no name when blank", () => {
    const { target, community, errors } = parseForwardForm(form());
    expect(errors).toEqual([]);
    expect(community).toBeNull();
    expect(target).toEqual({
      name: "noc",
      enabled: true,
      minSeverity: "major",
      kind: { type: "syslog", address: "127.0.0.1", port: 6514, transport: "tls", caFile: "/etc/meridian/noc-ca.pem", serverName: null },
    });
    // TLS-only boxes are not sent for TCP, even if filled before switching.
    const tcp = parseForwardForm(form({ transport: "tcp", serverName: "noc.example" })).target.kind;
    expect(tcp).toMatchObject({ port: 514, caFile: null, serverName: null });
  });

  it("sends a client certificate's paths over TLS only, and names it in the table", () => {
    const mutual = parseForwardForm(form({ certFile: " /etc/meridian/client.pem ", keyFile: "/etc/meridian/client.key" })).target.kind;
    expect(mutual).toMatchObject({ certFile: "/etc/meridian/client.pem", keyFile: "/etc/meridian/client.key" });
    expect(sendsText(mutual)).toBe("syslog over TLS (CA /etc/meridian/noc-ca.pem; client certificate /etc/meridian/client.pem)");
    expect(forwardValuesOf({ name: "n", enabled: true, minSeverity: "major", kind: mutual }).keyFile).toBe("/etc/meridian/client.key");
    const tcp = parseForwardForm(form({ transport: "tcp", certFile: "/c.pem", keyFile: "/k.pem" })).target.kind;
    expect(tcp).not.toHaveProperty("certFile");
    expect(tcp).not.toHaveProperty("keyFile");
  });

  it("sends a trap target's community only when one is typed, and checks the port", () => {
    const trap = parseForwardForm(form({ type: "snmp_trap", community: "s3cret", port: "1162" }));
    expect(trap.target.kind).toEqual({ type: "snmp_trap", address: "127.0.0.1", port: 1162, communityRef: null });
    expect(trap.community).toBe("s3cret");
    expect(parseForwardForm(form({ type: "snmp_trap" })).community).toBeNull();
    expect(defaultPort("snmp_trap", "tls")).toBe(162);
    for (const bad of ["0", "65536", "1.5", "x"]) {
      expect(parseForwardForm(form({ port: bad })).errors.map((e) => e.field)).toEqual(["port"]);
    }
  });

  it("sends v3 traps as a stored credential, and then no community", () => {
    const v3 = parseForwardForm(form({ type: "snmp_trap", user: " north ", community: "ignored" }));
    expect(v3.target.kind).toEqual({ type: "snmp_trap", address: "127.0.0.1", port: 162, communityRef: null, user: "north" });
    expect(v3.community).toBeNull();
    expect(sendsText(v3.target.kind)).toBe("SNMPv3 trap (user north)");
    expect(forwardValuesOf(v3.target).user).toBe("north");
  });

  it("maps the service's kind.* fields onto the form's boxes, the form's own hints first", () => {
    const err = forwardFormErrors(
      { kind: "validation", detail: "", fields: [{ field: "kind.address", message: "must be an IPv4 or IPv6 address" }, { field: "kind.serverName", message: "must be a DNS name" }] },
      [{ field: "port", message: "bad" }],
    );
    expect(err.fields.map((f) => f.field)).toEqual(["port", "address", "serverName"]);
  });

  it("fills the form from a stored target and leaves the community blank (kept)", () => {
    const v = forwardValuesOf({ name: "traps", enabled: false, minSeverity: "critical", kind: { type: "snmp_trap", address: "::1", port: 162, communityRef: "forward-community:1" } });
    expect(v).toMatchObject({ name: "traps", enabled: false, type: "snmp_trap", address: "::1", port: "162", community: "", minSeverity: "critical" });
  });
});

describe("the forwarding table", () => {
  const targets: ForwardTargetView[] = [
    { id: "2", name: "siem <b>", enabled: false, minSeverity: "warning", kind: { type: "syslog", address: "127.0.0.1", port: 6514, transport: "tls", caFile: "/ca.pem", serverName: "siem.example" } },
    { id: "1", name: "noc", enabled: true, minSeverity: "major", kind: { type: "snmp_trap", address: "127.0.0.1", port: 162, communityRef: "forward-community:x" } },
  ];

  it("lists targets by name with what and where they send, never a community", () => {
    const el = toElement(forwardTable(targets));
    const rows = [...el.querySelectorAll("tbody tr")].map((r) => [...r.querySelectorAll("td")].slice(0, 4).map((c) => (c.textContent ?? "").trim()));
    expect(rows).toEqual([
      ["noc", "SNMPv2c trap (community kept in the vault)", "127.0.0.1:162", "major"],
      ["siem <b>", "syslog over TLS (CA /ca.pem; name siem.example)", "127.0.0.1:6514", "warning"],
    ]);
    expect(el.querySelector("b")).toBeNull();
    expect(el.querySelector("tr[data-id='2']")?.classList.contains("is-disabled")).toBe(true);
    expect(el.textContent).not.toContain("forward-community");
  });

  it("says where alarms go when there is no target", () => {
    expect(toElement(forwardTable([])).textContent).toContain("No forwarding targets");
    expect(sendsText({ type: "syslog", address: "::1", port: 514, transport: "udp", caFile: null, serverName: null })).toBe("syslog over UDP");
  });
});
