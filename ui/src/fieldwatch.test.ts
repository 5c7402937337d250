// @vitest-environment jsdom
import { describe, expect, it } from "vitest";
import { watchFieldErrors } from "./fieldwatch";

function form(): HTMLFormElement {
  const f = document.createElement("form");
  f.innerHTML = `<input name="name" /><span data-error-for="name"></span>
    <input name="lat" /><span data-error-for="lat"></span>
    <input name="address" /><span data-error-for="address"></span>`;
  document.body.append(f);
  watchFieldErrors(f);
  return f;
}

const slot = (f: HTMLFormElement, n: string): string => f.querySelector(`[data-error-for="${n}"]`)?.textContent ?? "";

function typeInto(f: HTMLFormElement, name: string, value: string): void {
  const el = f.elements.namedItem(name) as HTMLInputElement;
  el.value = value;
  el.dispatchEvent(new Event("input", { bubbles: true }));
}

describe("field errors as the user fixes them", () => {
  it("clears each field's message once that field is fixed, and only that one", () => {
    const f = form();
    for (const [n, m] of [["name", "must not be empty"], ["lat", "must be a number"], ["address", "not an address"]]) {
      const s = f.querySelector(`[data-error-for="${n}"]`);
      if (s) s.textContent = m ?? "";
    }
    typeInto(f, "lat", "5x");
    expect(slot(f, "lat")).toBe("must be a number");
    typeInto(f, "lat", "52.5");
    expect(slot(f, "lat")).toBe("");
    expect(slot(f, "name")).toBe("must not be empty");
    typeInto(f, "name", "r1");
    expect(slot(f, "name")).toBe("");
    // A service message (not checkable here) clears when the field is changed.
    typeInto(f, "address", "127.0.0.9");
    expect(slot(f, "address")).toBe("");
    expect((f.elements.namedItem("address") as HTMLInputElement).getAttribute("aria-invalid")).toBe("false");
  });

  it("shows nothing for a field that had no message", () => {
    const f = form();
    typeInto(f, "name", "");
    expect(slot(f, "name")).toBe("");
  });
});
