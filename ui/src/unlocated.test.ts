// @vitest-environment jsdom
import { describe, expect, it } from "vitest";
import { draw } from "./html";
import { notOnMapList } from "./unlocated";
import { device } from "./fixtures";

describe("notOnMapList", () => {
  it("is a collapsible list whose entries open the device page, sorted by name", () => {
    const el = document.createElement("div");
    draw(el, notOnMapList([device({ id: "b-id", name: "zeta" }), device({ id: "a/id", name: "<alpha>" })], new Map()));
    expect(el.querySelector("details summary")?.textContent).toBe("Not on the map (2)");
    const links = [...el.querySelectorAll("li a")];
    expect(links.map((a) => a.textContent)).toEqual(["<alpha>", "zeta"]);
    expect(links.map((a) => a.getAttribute("href"))).toEqual(["#/device/a%2Fid", "#/device/b-id"]);
  });

  it("keeps the user's open or closed state across redraws", () => {
    const el = document.createElement("div");
    const list = [device({ id: "x", name: "x" })];
    draw(el, notOnMapList(list, new Map()));
    const details = el.querySelector("details") as HTMLDetailsElement;
    details.open = false;
    draw(el, notOnMapList(list, new Map()));
    expect(el.querySelector("details")).toBe(details);
    expect(details.open).toBe(false);
  });
});
