// @vitest-environment jsdom
import { afterEach, describe, expect, it } from "vitest";
import { blockBrowserMenuInRelease, isReleaseBuild, suppressBrowserMenu } from "./contextmenu";

function rightClick(target: Element): boolean {
  const e = new MouseEvent("contextmenu", { bubbles: true, cancelable: true });
  target.dispatchEvent(e);
  return e.defaultPrevented;
}

describe("browser context menu", () => {
  afterEach(() => {
    delete window.__MERIDIAN_BUILD__;
    document.removeEventListener("contextmenu", suppressBrowserMenu);
    document.body.replaceChildren();
  });

  it("is kept in debug builds and without a shell", () => {
    expect(isReleaseBuild()).toBe(false);
    expect(blockBrowserMenuInRelease(document)).toBe(false);
    window.__MERIDIAN_BUILD__ = "debug";
    expect(blockBrowserMenuInRelease(document)).toBe(false);
    const div = document.body.appendChild(document.createElement("div"));
    expect(rightClick(div)).toBe(false);
  });

  it("is cancelled in release builds, except over text fields", () => {
    window.__MERIDIAN_BUILD__ = "release";
    expect(blockBrowserMenuInRelease(document)).toBe(true);
    const div = document.body.appendChild(document.createElement("div"));
    const input = document.body.appendChild(document.createElement("input"));
    expect(rightClick(div)).toBe(true);
    expect(rightClick(input)).toBe(false);
  });
});
