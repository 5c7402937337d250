import { describe, expect, it } from "vitest";
import { keyAction, type KeyInput } from "./tablekeys";

const key = (k: string, mods: Partial<KeyInput> = {}): KeyInput => ({ key: k, shift: false, ctrl: false, ...mods });

describe("table keyboard", () => {
  it("moves the cursor with arrows, pages, Home and End, clamped to the rows", () => {
    expect(keyAction(key("ArrowDown"), -1, 10, 5)).toEqual({ kind: "move", to: 0, extend: false });
    expect(keyAction(key("ArrowDown"), 9, 10, 5)).toEqual({ kind: "move", to: 9, extend: false });
    expect(keyAction(key("ArrowUp"), 0, 10, 5)).toEqual({ kind: "move", to: 0, extend: false });
    expect(keyAction(key("PageDown"), 2, 10, 5)).toEqual({ kind: "move", to: 6, extend: false });
    expect(keyAction(key("PageUp"), 2, 10, 5)).toEqual({ kind: "move", to: 0, extend: false });
    expect(keyAction(key("End"), 2, 10, 5)).toEqual({ kind: "move", to: 9, extend: false });
    expect(keyAction(key("Home", { shift: true }), 2, 10, 5)).toEqual({ kind: "move", to: 0, extend: true });
  });

  it("opens with Enter, selects with Space, asks to remove with Delete", () => {
    expect(keyAction(key("Enter"), 3, 10, 5)).toEqual({ kind: "open" });
    expect(keyAction(key(" "), 3, 10, 5)).toEqual({ kind: "toggle" });
    expect(keyAction(key("Delete"), 3, 10, 5)).toEqual({ kind: "remove" });
    // Nothing to act on before a row has the cursor.
    expect(keyAction(key("Enter"), -1, 10, 5)).toBeNull();
    expect(keyAction(key("Delete"), -1, 10, 5)).toBeNull();
  });

  it("selects all with Ctrl+A, clears with Escape, opens the menu with Shift+F10 or the menu key", () => {
    expect(keyAction(key("a", { ctrl: true }), 0, 10, 5)).toEqual({ kind: "selectAll" });
    expect(keyAction(key("a"), 0, 10, 5)).toBeNull();
    expect(keyAction(key("Escape"), 0, 10, 5)).toEqual({ kind: "clear" });
    expect(keyAction(key("F10", { shift: true }), 1, 10, 5)).toEqual({ kind: "menu" });
    expect(keyAction(key("ContextMenu"), 1, 10, 5)).toEqual({ kind: "menu" });
    expect(keyAction(key("F10"), 1, 10, 5)).toBeNull();
  });

  it("leaves every key alone on an empty table", () => {
    expect(keyAction(key("ArrowDown"), -1, 0, 5)).toBeNull();
  });
});
