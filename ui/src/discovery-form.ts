// The discovery dialog's start form on the page: reading its values, showing
// field errors, the extra community fields, and its keys (Enter starts from
// a field, Ctrl+Enter from the targets box, where Enter adds a line).
import type { DiscoveryFormValues } from "./discovery";

/** Same cap as meridian-core's MAX_CREDENTIALS: more would be refused anyway. */
const MAX_COMMUNITIES = 16;

export class DiscoveryForm {
  constructor(
    readonly form: HTMLFormElement,
    private readonly communities: HTMLElement,
  ) {
    const targets = this.control("targets");
    targets?.addEventListener("keydown", (e) => {
      if (e instanceof KeyboardEvent && e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
        e.preventDefault();
        form.requestSubmit();
      }
    });
    const mode = this.control("mode");
    const withoutPing = this.control("snmpWithoutPing");
    const syncMode = (): void => {
      if (withoutPing instanceof HTMLInputElement) withoutPing.disabled = mode?.value !== "icmpThenSnmp";
    };
    mode?.addEventListener("change", syncMode);
    syncMode();
    communities.querySelector("button")?.addEventListener("click", () => this.addCommunityField());
  }

  private control(name: string): HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement | null {
    const el = this.form.elements.namedItem(name);
    return el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement || el instanceof HTMLSelectElement
      ? el
      : null;
  }

  private checked(name: string): boolean {
    const el = this.control(name);
    return el instanceof HTMLInputElement && el.checked;
  }

  private inputs(selector: string): HTMLInputElement[] {
    return [...this.form.querySelectorAll<HTMLInputElement>(selector)];
  }

  values(): DiscoveryFormValues {
    return {
      targets: this.control("targets")?.value ?? "",
      credentials: this.inputs("input[name=credential]:checked").map((c) => c.value),
      communities: this.inputs("input[name=community]").map((c) => c.value),
      mode: this.control("mode")?.value ?? "",
      snmpWithoutPing: this.checked("snmpWithoutPing"),
      port: this.control("port")?.value ?? "",
      force: this.checked("force"),
      site: this.control("site")?.value ?? "",
      tags: this.control("tags")?.value ?? "",
    };
  }

  /** The saved credentials ticked now, to keep them ticked when the list is redrawn. */
  tickedCredentials(): Set<string> {
    return new Set(this.inputs("input[name=credential]:checked").map((c) => c.value));
  }

  /** Empties the community fields and drops the extra ones: secrets do not stay on the page. */
  clearCommunities(): void {
    this.inputs("input[name=community]").forEach((c, i) => (i === 0 ? (c.value = "") : c.remove()));
  }

  private addCommunityField(): void {
    const n = this.inputs("input[name=community]").length;
    if (n >= MAX_COMMUNITIES) return;
    const input = document.createElement("input");
    input.type = "password";
    input.name = "community";
    input.autocomplete = "off";
    input.setAttribute("aria-label", `Community ${n + 1}`);
    this.communities.insertBefore(input, this.communities.querySelector("button"));
    input.focus();
  }

  showErrors(messages: ReadonlyMap<string, string[]>): void {
    for (const el of this.form.querySelectorAll<HTMLElement>("[data-error-for]")) {
      el.textContent = (messages.get(el.dataset["errorFor"] ?? "") ?? []).join("; ");
    }
    for (const name of ["targets", "port", "force", "site", "tags"]) {
      this.control(name)?.setAttribute("aria-invalid", String(messages.has(name)));
    }
    const first = ["targets", "credentials", "communities", "port", "force", "site", "tags"].find((f) => messages.has(f));
    if (first === "targets" || first === "port" || first === "site" || first === "tags") this.control(first)?.focus();
  }
}
