// The Events screen's rules section: the stored event rules with on/off,
// Edit and Remove (asked in the page), and the add/edit form for syslog and
// trap rules, which shows only the chosen kind's boxes and every field error
// from the service at once (eventruleform.ts maps the service's names).
import type { EventRule, EventRuleView } from "./generated/bindings";
import { api } from "./api";
import { toApiError } from "./apierror";
import { watchFieldErrors } from "./fieldwatch";
import { clearFieldErrors, confirmInPage, element, formChecked, formValue, setFormValue } from "./formdom";
import { formMode, listAction, listWrite, scopeFields, setChecked, submitDefinition } from "./listscreen";
import { draw, nothing } from "./html";
import { eventRulesTable } from "./eventrulelist";
import {
  EVENT_RULE_FIELDS,
  eventRuleFormErrors,
  eventRuleValuesOf,
  parseEventRuleForm,
  type EventRuleFormValues,
  type EventRuleKind,
} from "./eventruleform";

const PREFIX = "event-rule";
const NOUN = "syslog or trap rule";
const TEXT_FIELDS = ["name", "severity", "app", "minSeverity", "pattern", "clearPattern", "oid", "varbinds", "keyVarbind", "clearOid", "devices", "tags", "sites", "kinds", "templates"] as const;

/** The stored rule without the view's id and time. */
function ruleOf(v: EventRuleView): EventRule {
  return { name: v.name, enabled: v.enabled, severity: v.severity, scope: v.scope, raise: v.raise, clear: v.clear, keyVarbind: v.keyVarbind };
}

export class EventRulesSection {
  private readonly form = element<HTMLFormElement>("event-rule-form");
  private readonly list = element("event-rules-body");
  private readonly listError = element("event-rules-error");
  private readonly confirm = element<HTMLDialogElement>("confirm-dialog");
  private rules: EventRuleView[] = [];
  private editing: EventRuleView | null = null;
  private loaded = false;

  constructor() {
    draw(element("er-scope-fields"), scopeFields("er"));
    watchFieldErrors(this.form);
    this.form.querySelector(".er-scope")?.addEventListener("input", () => {
      const slot = this.form.querySelector('[data-error-for="scope"]');
      if (slot !== null) slot.textContent = "";
    });
    this.form.addEventListener("change", (e) => {
      if (e.target instanceof HTMLSelectElement && e.target.name === "kind") this.showKind();
    });
    this.form.addEventListener("submit", (e) => {
      e.preventDefault();
      void this.submit();
    });
    element(`${PREFIX}-cancel`).addEventListener("click", () => this.reset());
    this.list.addEventListener("click", (e) => this.onListClick(e));
    this.showKind();
  }

  async show(): Promise<void> {
    if (!this.loaded) await this.load();
  }

  /** A CLI edit or another screen changed the rules. */
  onRulesChanged(): void {
    if (this.loaded) void this.load();
  }

  private async load(): Promise<void> {
    try {
      this.rules = await api.listEventRules();
      this.loaded = true;
      draw(this.listError, nothing);
      draw(this.list, eventRulesTable(this.rules));
    } catch (err) {
      draw(this.listError, toApiError(err).detail);
    }
  }

  private kind(): EventRuleKind {
    return formValue(this.form, "kind") === "trap" ? "trap" : "syslog";
  }

  private showKind(): void {
    const k = this.kind();
    for (const el of this.form.querySelectorAll<HTMLElement>("[data-kind]")) el.hidden = el.dataset["kind"] !== k;
  }

  private values(): EventRuleFormValues {
    const v = (n: string): string => formValue(this.form, n);
    return {
      name: v("name"),
      enabled: formChecked(this.form, "enabled"),
      kind: this.kind(),
      severity: v("severity"),
      app: v("app"),
      minSeverity: v("minSeverity"),
      pattern: v("pattern"),
      clearPattern: v("clearPattern"),
      oid: v("oid"),
      varbinds: v("varbinds"),
      keyVarbind: v("keyVarbind"),
      clearOid: v("clearOid"),
      scopeAll: formChecked(this.form, "scopeAll"),
      devices: v("devices"),
      tags: v("tags"),
      sites: v("sites"),
      kinds: v("kinds"),
      templates: v("templates"),
    };
  }

  private fill(v: EventRuleFormValues): void {
    setFormValue(this.form, "kind", v.kind);
    for (const k of TEXT_FIELDS) setFormValue(this.form, k, v[k]);
    setChecked(this.form, "scopeAll", v.scopeAll);
    setChecked(this.form, "enabled", v.enabled);
    this.showKind();
  }

  private async submit(): Promise<void> {
    const kind = this.kind();
    const { rule, errors } = parseEventRuleForm(this.values());
    const before = this.editing;
    const saved = await submitDefinition(this.form, EVENT_RULE_FIELDS, { value: rule, errors }, (e, c) => eventRuleFormErrors(e, kind, c), async (r) => {
      await api.putEventRule(r);
      // Rules are keyed by name: a renamed one is new, so drop the old.
      if (before !== null && before.name !== r.name) await api.removeEventRule(before.id);
    });
    if (!saved) return;
    this.reset();
    await this.load();
  }

  private reset(): void {
    this.editing = null;
    this.form.reset();
    clearFieldErrors(this.form);
    this.showKind();
    formMode(PREFIX, NOUN, null);
  }

  private edit(v: EventRuleView): void {
    this.reset();
    this.editing = v;
    this.fill(eventRuleValuesOf(ruleOf(v)));
    formMode(PREFIX, NOUN, v.name);
    this.form.scrollIntoView({ block: "nearest" });
    this.form.querySelector<HTMLInputElement>("input[name=name]")?.focus();
  }

  private onListClick(e: MouseEvent): void {
    const t = listAction(e);
    const v = this.rules.find((r) => r.id === t?.id);
    if (t === null || v === undefined) return;
    switch (t.action) {
      case "edit-event-rule":
        this.edit(v);
        break;
      case "toggle-event-rule":
        void listWrite(this.listError, () => api.putEventRule({ ...ruleOf(v), enabled: !v.enabled }), () => this.load());
        break;
      case "remove-event-rule":
        void this.remove(v);
        break;
    }
  }

  private async remove(v: EventRuleView): Promise<void> {
    const ok = await confirmInPage(this.confirm, `Remove event rule ${v.name}? Its active alarms stay until cleared by hand.`, "Remove rule");
    if (!ok) return;
    await listWrite(this.listError, () => api.removeEventRule(v.id), () => this.load());
    if (this.editing?.id === v.id) this.reset();
  }
}
