// The Events screen's rules section: the stored event rules with on/off,
// Edit and Remove (asked in the page), and the add/edit form for syslog and
// trap rules, which shows only the chosen kind's boxes and every field error
// from the service at once (eventruleform.ts maps the service's names).
import type { EventRule, EventRuleView } from "./generated/bindings";
import { api } from "./api";
import { DefinitionSection } from "./definitionsection";
import { element, formChecked, formValue, setFormValue } from "./formdom";
import { scopeFields, setChecked, submitDefinition } from "./listscreen";
import { draw, type TemplateResult } from "./html";
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

export class EventRulesSection extends DefinitionSection<EventRuleView> {
  constructor() {
    super(PREFIX, NOUN);
    draw(element("er-scope-fields"), scopeFields("er"));
    this.form.querySelector(".er-scope")?.addEventListener("input", () => {
      const slot = this.form.querySelector('[data-error-for="scope"]');
      if (slot !== null) slot.textContent = "";
    });
    this.form.addEventListener("change", (e) => {
      if (e.target instanceof HTMLSelectElement && e.target.name === "kind") this.showKind();
    });
    this.showKind();
  }

  /** A CLI edit or another screen changed the rules. */
  onRulesChanged(): void {
    this.onChanged();
  }

  protected fetch(): Promise<EventRuleView[]> {
    return api.listEventRules();
  }

  protected table(items: readonly EventRuleView[]): TemplateResult {
    return eventRulesTable(items);
  }

  private kind(): EventRuleKind {
    return formValue(this.form, "kind") === "trap" ? "trap" : "syslog";
  }

  protected override showKind(): void {
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

  protected fill(r: EventRuleView): void {
    const v = eventRuleValuesOf(ruleOf(r));
    setFormValue(this.form, "kind", v.kind);
    for (const k of TEXT_FIELDS) setFormValue(this.form, k, v[k]);
    setChecked(this.form, "scopeAll", v.scopeAll);
    setChecked(this.form, "enabled", v.enabled);
  }

  protected save(): Promise<boolean> {
    const kind = this.kind();
    const { rule, errors } = parseEventRuleForm(this.values());
    const before = this.editing;
    return submitDefinition(this.form, EVENT_RULE_FIELDS, { value: rule, errors }, (e, c) => eventRuleFormErrors(e, kind, c), async (r) => {
      await api.putEventRule(r);
      // Rules are keyed by name: a renamed one is new, so drop the old.
      if (before !== null && before.name !== r.name) await api.removeEventRule(before.id);
    });
  }

  protected act(action: string, v: EventRuleView): void {
    if (action === "edit-event-rule") this.edit(v);
    else if (action === "toggle-event-rule") this.write(() => api.putEventRule({ ...ruleOf(v), enabled: !v.enabled }));
    else if (action === "remove-event-rule") {
      const message = `Remove event rule ${v.name}? Its active alarms stay until cleared by hand.`;
      void this.removeAsked(v, message, "Remove rule", () => api.removeEventRule(v.id));
    }
  }
}
