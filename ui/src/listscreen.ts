// What every "stored definitions" screen (rules, maintenance windows,
// notification channels and routes) does the same way: find which row
// button was clicked, run a list action and show the service's refusal above
// the list, and switch a form between "Add a thing" and "Edit thing X". The
// form's ids follow one pattern: `<prefix>-form-title`, `<prefix>-save`,
// `<prefix>-cancel`.
import type { ApiError, FieldError } from "./generated/bindings";
import { toApiError } from "./apierror";
import { busy, element, showApiError } from "./formdom";
import { validationError } from "./inventory";
import { draw, html, nothing, type TemplateResult } from "./html";

/** The `[data-action]` control a click in a list landed on, with its row's id. */
export function listAction(e: MouseEvent): { action: string; id: string } | null {
  const t = e.target instanceof Element ? e.target.closest<HTMLElement>("[data-action]") : null;
  const action = t?.dataset["action"];
  const id = t?.dataset["id"];
  return action === undefined || id === undefined ? null : { action, id };
}

/** Runs a list action; its error (or nothing) shows in `slot`; the list reloads either way. True when it worked. */
export async function listWrite(slot: HTMLElement, action: () => Promise<unknown>, reload: () => Promise<void>): Promise<boolean> {
  let refusal: string | null = null;
  try {
    await action();
    draw(slot, nothing);
  } catch (err) {
    refusal = toApiError(err).detail;
  }
  // A reload that works clears the slot: the refusal goes in after it, or
  // the user would never see why nothing changed.
  await reload();
  if (refusal !== null) draw(slot, refusal);
  return refusal === null;
}

/** "Add a rule" / "Edit rule X": the form's title, its save button and whether Cancel shows. */
export function formMode(prefix: string, noun: string, editing: string | null): void {
  element(`${prefix}-form-title`).textContent = editing === null ? `Add a ${noun}` : `Edit ${noun} ${editing}`;
  element(`${prefix}-save`).textContent = `${editing === null ? "Add" : "Save"} ${noun}`;
  element(`${prefix}-cancel`).hidden = editing === null;
}

/** The scope boxes of a scoped form (rules, maintenance windows); `id` prefixes the inputs' ids. */
export function scopeFields(id: string): TemplateResult {
  const box = (name: string, label: string, placeholder = ""): TemplateResult =>
    html`<div class="field"><label for="${id}-${name}">${label}</label><input id="${id}-${name}" name=${name} autocomplete="off" placeholder=${placeholder} /></div>`;
  return html`<div class="field check"><label for="${id}-scope-all">All devices</label><input id="${id}-scope-all" name="scopeAll" type="checkbox" /></div>
    ${box("devices", "Devices", "names, comma-separated")} ${box("tags", "Tags")} ${box("sites", "Sites")}
    ${box("kinds", "Kinds", "router, switch, …")} ${box("templates", "Templates")}`;
}

/** A row's enable/disable box; `name` reads "rule X". */
export function enabledBox(action: string, id: string, name: string, on: boolean): TemplateResult {
  return html`<input type="checkbox" data-action=${action} data-id=${id} .checked=${on} aria-label="${on ? "Disable" : "Enable"} ${name}" />`;
}

/** A row's Edit and Remove buttons (`edit-<what>`, `remove-<what>`), after any `extra` ones. */
export function rowButtons(what: string, id: string, name: string, extra: TemplateResult | typeof nothing = nothing): TemplateResult {
  return html`<td class="row-actions">
    ${extra}
    <button type="button" class="small" data-action="edit-${what}" data-id=${id} aria-label="Edit ${what} ${name}">Edit</button>
    <button type="button" class="small" data-action="remove-${what}" data-id=${id} aria-label="Remove ${what} ${name}">Remove</button>
  </td>`;
}

/**
 * A definitions form's submit: the form's own hints stop it before sending;
 * otherwise `save` runs and the service's refusal shows next to the fields
 * (`errors` maps its names and adds the hints). True when it was saved.
 */
export async function submitDefinition<T>(
  form: HTMLFormElement,
  order: readonly string[],
  parsed: { value: T; errors: FieldError[] },
  errors: (err: ApiError, client: readonly FieldError[]) => ApiError,
  save: (value: T) => Promise<unknown>,
): Promise<boolean> {
  return busy(form, async () => {
    try {
      if (parsed.errors.length > 0) throw validationError([]);
      await save(parsed.value);
      return true;
    } catch (err) {
      showApiError(form, errors(toApiError(err), parsed.errors), order);
      return false;
    }
  });
}

/** Sets a checkbox of the form by name. */
export function setChecked(form: HTMLFormElement, name: string, on: boolean): void {
  const el = form.elements.namedItem(name);
  if (el instanceof HTMLInputElement) el.checked = on;
}
