import { describe, expect, it } from "vitest";
import { AlarmSelection } from "./alarmselection";

const order = ["a", "b", "c", "d", "e"];
const sel = (): AlarmSelection<string> => new AlarmSelection<string>();

describe("AlarmSelection", () => {
  it("toggles single rows", () => {
    const s = sel();
    s.click("b", order, false);
    s.click("d", order, false);
    expect(s.inOrder(order)).toEqual(["b", "d"]);
    s.click("b", order, false);
    expect(s.inOrder(order)).toEqual(["d"]);
  });

  it("shift-click selects the range from the anchor, in either direction", () => {
    const s = sel();
    s.click("b", order, false);
    s.click("d", order, true);
    expect(s.inOrder(order)).toEqual(["b", "c", "d"]);
    const t = sel();
    t.click("e", order, false);
    t.click("c", order, true);
    expect(t.inOrder(order)).toEqual(["c", "d", "e"]);
  });

  it("shift-click on a selected row deselects the range", () => {
    const s = sel();
    s.toggleAll(order);
    s.click("b", order, false); // deselects b, anchor b
    s.click("d", order, true); // d was selected: the range b..d turns off
    expect(s.inOrder(order)).toEqual(["a", "e"]);
  });

  it("shift-click without an anchor is a plain toggle", () => {
    const s = sel();
    s.click("c", order, true);
    expect(s.inOrder(order)).toEqual(["c"]);
  });

  it("select all, then none; reports the header state", () => {
    const s = sel();
    expect(s.state(order)).toBe("none");
    s.click("a", order, false);
    expect(s.state(order)).toBe("some");
    s.toggleAll(order);
    expect(s.state(order)).toBe("all");
    s.toggleAll(order);
    expect(s.size).toBe(0);
    expect(s.state([])).toBe("none");
  });

  it("drops ids that leave the list, and the anchor with them", () => {
    const s = sel();
    s.click("b", order, false);
    s.click("c", order, false);
    expect(s.retain(["a", "c"])).toBe(true);
    expect(s.inOrder(order)).toEqual(["c"]);
    expect(s.retain(["c"])).toBe(false);
    s.clear();
    s.click("a", ["a", "c"], true);
    expect(s.inOrder(order)).toEqual(["a"]);
  });
});
