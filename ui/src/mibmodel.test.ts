// @vitest-environment jsdom
import { describe, expect, it } from "vitest";
import type { DeviceWalk, MibObject } from "./generated/bindings";
import { draw, toElement } from "./html";
import { dedent, deviceOptions, nodeLine, objectDetails, qualified, searchResults, walkRows } from "./mibmodel";

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
    expect(toElement(walkRows(w)).querySelector("p")?.textContent).toBe("2 rows from r1 (127.0.0.1:161)");
    expect(toElement(walkRows({ ...w, rows: w.rows.slice(0, 1) })).querySelector("p")?.textContent).toBe("1 row from r1 (127.0.0.1:161)");
  });

  it("a search that matches nothing says so, with the text as text; matches show their module", () => {
    const none = toElement(searchResults(`  ${XSS} `, []));
    expect(none.querySelector(".mib-empty")?.textContent).toContain(`No loaded MIB object matches “${XSS}”`);
    expect(none.querySelector("img")).toBeNull();
    expect(none.querySelector("ul")).toBeNull();
    const some = toElement(searchResults("ifOper", [{ oid: "1.3.6.1.2.1.2.2.1.8", name: "ifOperStatus", module: "IF-MIB", kind: "column", children: 0 }]));
    expect(some.querySelector(".mib-empty")).toBeNull();
    expect(some.querySelector("h3")?.textContent).toBe("1 found");
    const b = some.querySelector<HTMLButtonElement>(".mib-found button");
    expect([b?.textContent, b?.dataset["oid"]]).toEqual(["IF-MIB::ifOperStatus", "1.3.6.1.2.1.2.2.1.8"]);
  });

  it("the walk's device picker lists every device by name", () => {
    const select = document.createElement("select");
    const devices = [
      { id: "d2", name: "zeta" },
      { id: "d1", name: "alpha" },
    ];
    draw(select, deviceOptions(devices));
    expect([...select.options].map((o) => [o.value, o.textContent])).toEqual([["d1", "alpha"], ["d2", "zeta"]]);
    // A device added since (the scenario's SNMP device is added after the tab first showed) appears on redraw.
    draw(select, deviceOptions([...devices, { id: "d3", name: "mid" }]));
    expect([...select.options].map((o) => o.textContent)).toEqual(["alpha", "mid", "zeta"]);
  });

  it("a description lines up: the module's indentation is dropped, a list's own kept", () => {
    const raw = "The current operational state of the interface.  The\n            testing(3) state indicates\n              - a list item\n\n            end.";
    expect(dedent(raw)).toBe("The current operational state of the interface.  The\ntesting(3) state indicates\n  - a list item\n\nend.");
    expect(dedent("one line")).toBe("one line");
    const el = toElement(objectDetails(obj({ description: raw })));
    expect(el.querySelector(".mib-description")?.textContent).toBe(dedent(raw));
  });

  it("a node no module names shows its OID rather than a blank button", () => {
    const b = toElement(nodeLine({ oid: "0", name: "", module: null, kind: "node", children: 1 })).querySelector("button");
    expect(b?.textContent).toBe(".0");
  });
});
