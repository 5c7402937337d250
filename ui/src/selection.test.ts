import { describe, expect, it } from "vitest";
import { Selection } from "./selection";

const order = ["a", "b", "c", "d", "e"];
const plain = { shift: false };
const shift = { shift: true };

describe("selection", () => {
  it("toggles single rows", () => {
    const s = new Selection();
    s.click(order, "b", plain);
    s.click(order, "d", plain);
    expect(s.inOrder(order)).toEqual(["b", "d"]);
    s.click(order, "b", plain);
    expect(s.inOrder(order)).toEqual(["d"]);
  });

  it("selects a range with shift, in the shown order, in either direction", () => {
    const s = new Selection();
    s.click(order, "d", plain);
    s.click(order, "b", shift);
    expect(s.inOrder(order)).toEqual(["b", "c", "d"]);
    s.click(order, "e", shift);
    expect(s.inOrder(order)).toEqual(["b", "c", "d", "e"]);
  });

  it("clears a range with shift when the anchor was unchecked", () => {
    const s = new Selection();
    s.toggleAll(order);
    s.click(order, "b", plain);
    s.click(order, "d", shift);
    expect(s.inOrder(order)).toEqual(["a", "e"]);
  });

  it("select all covers what is shown, and a second click clears it", () => {
    const s = new Selection();
    s.click(order, "a", plain);
    expect(s.allState(["b", "c"])).toBe("none");
    s.toggleAll(["b", "c"]);
    expect(s.allState(["b", "c"])).toBe("all");
    expect(s.allState(order)).toBe("some");
    s.toggleAll(["b", "c"]);
    expect(s.all()).toEqual(["a"]);
  });

  it("forgets removed devices and keeps ids across re-sorting", () => {
    const s = new Selection();
    s.click(order, "a", plain);
    s.click(order, "c", shift);
    s.retain(new Set(["a", "c", "x"]));
    expect(s.inOrder(["c", "x", "a"])).toEqual(["c", "a"]);
    expect(s.size).toBe(2);
    s.clear();
    expect(s.size).toBe(0);
  });

  it("drops ids that leave a shown list, and the anchor with them; shift without an anchor toggles", () => {
    const s = new Selection<string>();
    s.click(order, "b", plain);
    s.click(order, "c", plain);
    expect(s.retain(["a", "c"])).toBe(true);
    expect(s.inOrder(order)).toEqual(["c"]);
    expect(s.retain(["c"])).toBe(false);
    s.clear();
    s.click(["a", "c"], "a", shift);
    expect(s.inOrder(order)).toEqual(["a"]);
  });
});
