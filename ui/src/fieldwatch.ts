// Field errors that clear as their fields are fixed. A message next to an
// input is about the value that was submitted; once the user changes that
// field, the form re-checks what it can (required text, numbers, the port:
// clientFieldError) and shows that instead, or nothing. The other fields'
// messages stay until those fields are changed too.
import { clientFieldError } from "./inventory";

export function watchFieldErrors(form: HTMLFormElement): void {
  const recheck = (e: Event): void => {
    const t = e.target;
    if (!(t instanceof HTMLInputElement || t instanceof HTMLSelectElement)) return;
    const slot = [...form.querySelectorAll<HTMLElement>("[data-error-for]")].find((el) => el.dataset["errorFor"] === t.name);
    if (slot === undefined || t.name === "" || slot.textContent === "") return;
    const message = clientFieldError(t.name, t.value);
    slot.textContent = message ?? "";
    t.setAttribute("aria-invalid", String(message !== null));
  };
  form.addEventListener("input", recheck);
  form.addEventListener("change", recheck);
}
