// The Events screen's forwarding section: the northbound targets with
// on/off, Edit and Remove (asked in the page), and the add/edit form, which
// shows only the boxes of the chosen kind and transport and every field
// error at once (forwardform.ts maps the service's names).
import type { ForwardTargetView } from "./generated/bindings";
import { api } from "./api";
import { DefinitionSection } from "./definitionsection";
import { formChecked, formValue, setFormValue } from "./formdom";
import { setChecked, submitDefinition } from "./listscreen";
import type { TemplateResult } from "./html";
import { defaultPort, FORWARD_FIELDS, forwardFormErrors, forwardTable, forwardValuesOf, parseForwardForm, type ForwardFormValues } from "./forwardform";

const TEXT_FIELDS = ["name", "type", "address", "port", "community", "user", "transport", "caFile", "serverName", "certFile", "keyFile", "minSeverity"] as const;

export class ForwardSection extends DefinitionSection<ForwardTargetView> {
  constructor() {
    super("forward", "forwarding target");
    this.form.addEventListener("change", (e) => {
      if (e.target instanceof HTMLSelectElement && (e.target.name === "type" || e.target.name === "transport")) this.showKind();
    });
    this.showKind();
  }

  protected fetch(): Promise<ForwardTargetView[]> {
    return api.listForwardTargets();
  }

  protected table(items: readonly ForwardTargetView[]): TemplateResult {
    return forwardTable(items);
  }

  /** Only the chosen kind's and transport's boxes show; the port hint follows them. */
  protected override showKind(): void {
    const type = formValue(this.form, "type");
    const transport = formValue(this.form, "transport");
    for (const el of this.form.querySelectorAll<HTMLElement>("[data-kind]")) {
      el.hidden = el.dataset["kind"] !== type || (el.dataset["transport"] !== undefined && el.dataset["transport"] !== transport);
    }
    const port = this.form.elements.namedItem("port");
    if (port instanceof HTMLInputElement) port.placeholder = String(defaultPort(type, transport));
  }

  protected fill(t: ForwardTargetView): void {
    const v = forwardValuesOf(t);
    for (const k of TEXT_FIELDS) setFormValue(this.form, k, v[k]);
    setChecked(this.form, "enabled", v.enabled);
  }

  protected save(): Promise<boolean> {
    const { target, community, errors } = parseForwardForm(this.values());
    const before = this.editing;
    return submitDefinition(this.form, FORWARD_FIELDS, { value: target, errors }, forwardFormErrors, async (t) => {
      await api.putForwardTarget(t, community);
      // Targets are keyed by name: a renamed one is new, so drop the old.
      if (before !== null && before.name !== t.name) await api.removeForwardTarget(before.id);
    });
  }

  protected act(action: string, t: ForwardTargetView): void {
    if (action === "edit-forward") this.edit(t);
    else if (action === "toggle-forward") {
      const { id: _id, ...target } = t;
      this.write(() => api.putForwardTarget({ ...target, enabled: !t.enabled }, null));
    } else if (action === "remove-forward") {
      const message = `Remove forwarding target ${t.name}? Alarm changes stop going to it at once.`;
      void this.removeAsked(t, message, "Remove target", () => api.removeForwardTarget(t.id));
    }
  }

  private values(): ForwardFormValues {
    const v = (n: string): string => formValue(this.form, n);
    return {
      name: v("name"),
      enabled: formChecked(this.form, "enabled"),
      type: v("type"),
      address: v("address"),
      port: v("port"),
      community: v("community"),
      user: v("user"),
      transport: v("transport"),
      caFile: v("caFile"),
      serverName: v("serverName"),
      certFile: v("certFile"),
      keyFile: v("keyFile"),
      minSeverity: v("minSeverity"),
    };
  }
}
