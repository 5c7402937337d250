// DOM plumbing every inventory form shares: reading values by input name,
// showing field errors next to their inputs (`[data-error-for=NAME]`, "" for
// the form-level line), focusing the first bad field, and an in-page
// confirmation dialog (window.confirm is missing in some WebKit builds and
// blocks the event loop in the others).
import type { ApiError } from "./generated/bindings";
import { fieldMessages, firstErrorField } from "./inventory";

export function element<T extends HTMLElement = HTMLElement>(id: string): T {
  const el = document.getElementById(id);
  if (el === null) throw new Error(`index.html lacks #${id}`);
  return el as T;
}

/** The value of an input, select or textarea; "" when the form has no such control. */
export function formValue(form: HTMLFormElement, name: string): string {
  const el = form.elements.namedItem(name);
  if (el instanceof HTMLInputElement || el instanceof HTMLSelectElement || el instanceof HTMLTextAreaElement) {
    return el.value;
  }
  return "";
}

export function setFormValue(form: HTMLFormElement, name: string, value: string): void {
  const el = form.elements.namedItem(name);
  if (el instanceof HTMLInputElement || el instanceof HTMLSelectElement || el instanceof HTMLTextAreaElement) {
    el.value = value;
  }
}

export function formChecked(form: HTMLFormElement, name: string): boolean {
  const el = form.elements.namedItem(name);
  return el instanceof HTMLInputElement && el.checked;
}

/** Writes each field's messages next to it and focuses the first bad field. */
export function showFieldErrors(
  form: HTMLFormElement,
  messages: ReadonlyMap<string, string[]>,
  order: readonly string[],
): void {
  for (const el of form.querySelectorAll<HTMLElement>("[data-error-for]")) {
    const key = el.dataset["errorFor"] ?? "";
    el.textContent = (messages.get(key) ?? []).join("; ");
    const input = key === "" ? null : form.elements.namedItem(key);
    if (input instanceof HTMLInputElement || input instanceof HTMLSelectElement) {
      input.setAttribute("aria-invalid", String(messages.has(key)));
    }
  }
  const first = firstErrorField(messages, order);
  const input = first === null ? null : form.elements.namedItem(first);
  if (input instanceof HTMLInputElement || input instanceof HTMLSelectElement) input.focus();
}

export function showApiError(form: HTMLFormElement, err: ApiError, order: readonly string[]): void {
  showFieldErrors(form, fieldMessages(err, order), order);
}

export function clearFieldErrors(form: HTMLFormElement): void {
  showFieldErrors(form, new Map(), []);
}

/** Disables the form's buttons while a request is in flight, so Enter twice sends once. */
export async function busy<T>(form: HTMLFormElement, work: () => Promise<T>): Promise<T> {
  const buttons = [...form.querySelectorAll<HTMLButtonElement>("button")];
  for (const b of buttons) b.disabled = true;
  try {
    return await work();
  } finally {
    for (const b of buttons) b.disabled = false;
  }
}

/**
 * Asks in the page. Resolves true only on the confirm button; Escape, Cancel
 * or closing otherwise resolve false. Focus returns to where it was.
 */
export function confirmInPage(dialog: HTMLDialogElement, message: string, confirmLabel: string): Promise<boolean> {
  const text = dialog.querySelector<HTMLElement>("[data-confirm-text]");
  const yes = dialog.querySelector<HTMLButtonElement>("button[data-confirm=yes]");
  const no = dialog.querySelector<HTMLButtonElement>("button[data-confirm=no]");
  // Open already (a double click): the first question stands, the second is a no.
  if (text === null || yes === null || no === null || dialog.open) return Promise.resolve(false);
  const returnFocus = document.activeElement instanceof HTMLElement ? document.activeElement : null;
  text.textContent = message;
  yes.textContent = confirmLabel;
  return new Promise((resolve) => {
    let answer = false;
    const onYes = (): void => {
      answer = true;
      dialog.close();
    };
    const onNo = (): void => dialog.close();
    const onClose = (): void => {
      yes.removeEventListener("click", onYes);
      no.removeEventListener("click", onNo);
      returnFocus?.focus();
      resolve(answer);
    };
    yes.addEventListener("click", onYes);
    no.addEventListener("click", onNo);
    dialog.addEventListener("close", onClose, { once: true });
    dialog.showModal();
    // The safe choice has focus, so a stray Enter does not delete anything.
    no.focus();
  });
}
