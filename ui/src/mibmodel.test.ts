// @vitest-environment jsdom
import { describe, expect, it } from "vitest";
import type { DeviceWalk, MibObject } from "./generated/bindings";
import { toElement } from "./html";
import { nodeLine, objectDetails, qualified, walkRows } from "./mibmodel";

const XSS = `<img src=x onerror="alert(1)">`;

function obj(over: Partial<MibObject> = {}): MibObject {
  return {
    oid: "1.3.6.1.2.1.2.2.1.8",
    name: "ifOperStatus",
    module: "IF-MIB",
    kind: "column",
    syntax: "INTEGER",
    baseType: "Integer32",
    displayHint: null,
    access: "ReadOnly",
    status: "current",
    units: null,
    description: "The current operational state of the interface.",
    enums: [
      { value: 1, label: "up" },
      { value: 2, label: "down" },
    ],
    indexes: ["ifIndex"],
    objects: [],
    children: 0,
    ...over,
  };
}

describe("MIB browser templates", () => {
  it("names a node with its module and shows its facts", () => {
    expect(qualified({ name: "ifName", module: "IF-MIB" })).toBe("IF-MIB::ifName");
    expect(qualified({ name: "iso", module: null })).toBe("iso");
    const el = toElement(objectDetails(obj()));
    expect(el.querySelector("h3")?.textContent).toBe("IF-MIB::ifOperStatus");
    expect(el.textContent).toContain("up(1), down(2)");
    expect(el.textContent).toContain(".1.3.6.1.2.1.2.2.1.8");
    expect(el.textContent).not.toContain("Units");
  });

  it("binds MIB text as text, never markup", () => {
    const el = toElement(objectDetails(obj({ name: XSS, description: XSS, enums: [{ value: 1, label: XSS }] })));
    expect(el.querySelector("img")).toBeNull();
    const line = toElement(nodeLine({ oid: "1.3", name: XSS, module: null, kind: "node", children: 2 }));
    expect(line.querySelector("img")).toBeNull();
    expect(line.querySelector("button")?.dataset["oid"]).toBe("1.3");
    expect(line.textContent).toContain("(2)");
  });

  it("a walk shows the MIB's name and display value, the OID and raw value when it has none", () => {
    const w: DeviceWalk = {
      device: "r1",
      agent: "127.0.0.1:161",
      truncated: false,
      rows: [
        { oid: ".1.3.6.1.2.1.2.2.1.8.1", type: "INTEGER", value: 1, name: "IF-MIB::ifOperStatus.1", display: "up(1)" },
        { oid: ".1.3.6.1.4.1.9.9.1", type: "Counter32", value: 5, name: null, display: null },
      ],
    };
    const cells = [...toElement(walkRows(w)).querySelectorAll("td")].map((c) => c.textContent);
    expect(cells).toEqual(["IF-MIB::ifOperStatus.1", "up(1)", "INTEGER", ".1.3.6.1.4.1.9.9.1", "5", "Counter32"]);
  });
});
