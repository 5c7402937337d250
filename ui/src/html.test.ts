// @vitest-environment jsdom
import { describe, expect, it } from "vitest";
import { draw, html, toElement } from "./html";

describe("draw", () => {
  it("replaces what index.html put in the container, then keeps elements across redraws", () => {
    const el = document.createElement("div");
    el.innerHTML = "<p>Loading…</p>";
    const row = (n: number, label: string) => html`<button data-n=${n}>${label}</button>`;
    draw(el, [row(1, "a"), row(2, "b")]);
    expect(el.querySelector("p")).toBeNull();
    const first = el.querySelector("button");
    draw(el, [row(1, "a2"), row(2, "b")]);
    expect(el.querySelector("button")).toBe(first);
    expect(first?.textContent).toBe("a2");
  });

  it("draws text for a container lit owns, and markup in values stays text", () => {
    const el = toElement(html`<b>${"x"}</b>`);
    draw(el, "<img src=x onerror=alert(1)>");
    expect(el.querySelector("img")).toBeNull();
    expect(el.textContent).toBe("<img src=x onerror=alert(1)>");
  });
});
