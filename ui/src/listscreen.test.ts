// @vitest-environment jsdom
import { describe, expect, it } from "vitest";
import type { ApiError, FieldError } from "./generated/bindings";
import { toElement } from "./html";
import { formMode, listAction, listWrite, scopeFields, setChecked, submitDefinition } from "./listscreen";

describe("list screens", () => {
  it("finds the row action a click landed on, inside its button", () => {
    const row = toElement(scopeFields("x"));
    row.innerHTML = `<button data-action="edit-rule" data-id="r1"><span>Edit</span></button><span data-action="odd"></span>`;
    const click = (target: Element): MouseEvent => {
      const e = new MouseEvent("click", { bubbles: true });
      Object.defineProperty(e, "target", { value: target });
      return e;
    };
    expect(listAction(click(row.querySelector("button span") as Element))).toEqual({ action: "edit-rule", id: "r1" });
    expect(listAction(click(row.querySelector("[data-action=odd]") as Element))).toBeNull();
    expect(listAction(click(row))).toBeNull();
  });

  it("shows a list action's refusal, clears it on success, reloads either way", async () => {
    const slot = document.createElement("div");
    let reloads = 0;
    const reload = async (): Promise<void> => {
      reloads += 1;
    };
    expect(await listWrite(slot, () => Promise.reject({ kind: "conflict", detail: "channel 'ops' is used by route 'core'", fields: [] }), reload)).toBe(false);
    expect(slot.textContent).toBe("channel 'ops' is used by route 'core'");
    expect(await listWrite(slot, () => Promise.resolve(null), reload)).toBe(true);
    expect(slot.textContent).toBe("");
    expect(reloads).toBe(2);
  });

  it("keeps the refusal when the reload clears the slot, as the screens' loads do", async () => {
    const slot = document.createElement("div");
    const reload = async (): Promise<void> => {
      slot.textContent = "";
    };
    const refused = () => Promise.reject({ kind: "conflict", detail: "channel 'ops' is used by route 'core'", fields: [] });
    expect(await listWrite(slot, refused, reload)).toBe(false);
    expect(slot.textContent).toBe("channel 'ops' is used by route 'core'");
  });

  it("switches a form between adding and editing", () => {
    document.body.innerHTML = `<h2 id="route-form-title"></h2><button id="route-save"></button><button id="route-cancel"></button>`;
    formMode("route", "route", "core to ops");
    expect(document.getElementById("route-form-title")?.textContent).toBe("Edit route core to ops");
    expect(document.getElementById("route-save")?.textContent).toBe("Save route");
    expect(document.getElementById("route-cancel")?.hidden).toBe(false);
    formMode("route", "route", null);
    expect(document.getElementById("route-form-title")?.textContent).toBe("Add a route");
    expect(document.getElementById("route-save")?.textContent).toBe("Add route");
    expect(document.getElementById("route-cancel")?.hidden).toBe(true);
  });

  it("draws the scope boxes with the names the scope parser reads, ids prefixed", () => {
    const el = toElement(scopeFields("m"));
    expect([...el.querySelectorAll("input")].map((i) => `${i.id}:${i.name}`)).toEqual([
      "m-scope-all:scopeAll",
      "m-devices:devices",
      "m-tags:tags",
      "m-sites:sites",
      "m-kinds:kinds",
      "m-templates:templates",
    ]);
    expect([...el.querySelectorAll("label")].every((l) => el.querySelector(`#${l.htmlFor}`) !== null)).toBe(true);
  });

  it("a definitions form sends nothing while its own hints stand, and shows the service's errors with them", async () => {
    const form = document.createElement("form");
    form.innerHTML = `<input name="name" /><span data-error-for="name"></span><input name="pattern" /><span data-error-for="pattern"></span><input type="checkbox" name="on" /><button>Save</button>`;
    const sent: string[] = [];
    const mapped = (e: ApiError, c: readonly FieldError[]): ApiError => ({ ...e, fields: [...c, ...e.fields] });
    const hint = [{ field: "name", message: "must not be empty" }];
    expect(await submitDefinition(form, ["name", "pattern"], { value: "a", errors: hint }, mapped, async (v) => sent.push(v))).toBe(false);
    expect(sent).toEqual([]);
    expect(form.querySelector("[data-error-for=name]")?.textContent).toBe("must not be empty");
    const refusal = { kind: "validation", detail: "invalid", fields: [{ field: "name", message: "taken" }, { field: "pattern", message: "not a regular expression" }] };
    expect(await submitDefinition(form, ["name", "pattern"], { value: "b", errors: [] }, mapped, () => Promise.reject(refusal))).toBe(false);
    expect(form.querySelector("[data-error-for=name]")?.textContent).toBe("taken");
    expect(form.querySelector("[data-error-for=pattern]")?.textContent).toBe("not a regular expression");
    expect(await submitDefinition(form, ["name"], { value: "c", errors: [] }, mapped, async (v) => sent.push(v))).toBe(true);
    expect(sent).toEqual(["c"]);
    setChecked(form, "on", true);
    expect((form.elements.namedItem("on") as HTMLInputElement).checked).toBe(true);
  });
});
