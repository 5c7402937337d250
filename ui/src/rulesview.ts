// The Rules screen (issue 13, "a rule editor"): the stored rules with
// enable/disable, edit and remove (asked in the page), and the add/edit form
// with every field error at once, each cleared as its field changes, and a
// preview of what the draft would raise now. Errors come from the service
// (`Rule::validate` via put_rule/preview_rule) as `ApiError` field errors;
// ruleform.ts maps them onto the form. The list reloads on `rulesChanged`.
import type { ApiError, CoreEvent, RuleView } from "./generated/bindings";
import { api } from "./api";
import { toApiError } from "./apierror";
import { watchFieldErrors } from "./fieldwatch";
import { busy, clearFieldErrors, confirmInPage, element, formChecked, formValue, setFormValue, showApiError } from "./formdom";
import { formMode, listAction, listWrite, scopeFields } from "./listscreen";
import { draw, html, nothing } from "./html";
import { validationError } from "./inventory";
import { levelRows, previewResult, rulesTable } from "./rulelist";
import {
  formErrors,
  formValuesOf,
  LEVEL_SEVERITIES,
  METRIC_LABELS,
  parseRuleForm,
  RULE_FIELDS,
  type ParsedRule,
  type RuleFormValues,
} from "./ruleform";

export class RulesView {
  private readonly form = element<HTMLFormElement>("rule-form");
  private readonly list = element("rules-body");
  private readonly listError = element("rules-error");
  private readonly cancel = element<HTMLButtonElement>("rule-cancel");
  private readonly previewOut = element("rule-preview-out");
  private readonly confirm = element<HTMLDialogElement>("confirm-dialog");
  private rules: RuleView[] = [];
  /** The rule being edited (its stored copy), or null when adding. */
  private editing: RuleView | null = null;
  private loaded = false;

  constructor() {
    draw(element("rule-levels-body"), levelRows());
    draw(element("rule-scope-fields"), scopeFields("r"));
    draw(
      element("rule-metrics"),
      Object.entries(METRIC_LABELS).map(([k, label]) => html`<option value=${k}>${label}</option>`),
    );
    watchFieldErrors(this.form);
    // Group messages (levels, scope) clear once anything in their group changes.
    for (const [group, selector] of [["levels", ".rule-levels"], ["scope", ".rule-scope"]] as const) {
      this.form.querySelector(selector)?.addEventListener("input", () => {
        const slot = this.form.querySelector(`[data-error-for="${group}"]`);
        if (slot !== null) slot.textContent = "";
      });
    }
    this.form.addEventListener("submit", (e) => {
      e.preventDefault();
      void this.submit();
    });
    element("rule-preview").addEventListener("click", () => void this.preview());
    this.cancel.addEventListener("click", () => this.reset());
    this.list.addEventListener("click", (e) => this.onListClick(e));
  }

  /** Loads the rules the first time the screen shows, and again on demand. */
  async show(): Promise<void> {
    if (!this.loaded) await this.load();
  }

  onEvent(ev: CoreEvent): void {
    if (ev.type === "rulesChanged" && this.loaded) void this.load();
  }

  private async load(): Promise<void> {
    try {
      this.rules = await api.listRules();
      this.loaded = true;
      draw(this.listError, nothing);
      draw(this.list, rulesTable(this.rules));
    } catch (err) {
      draw(this.listError, toApiError(err).detail);
    }
  }

  private values(): RuleFormValues {
    const v = (n: string): string => formValue(this.form, n);
    const levels: RuleFormValues["levels"] = {};
    for (const s of LEVEL_SEVERITIES) levels[s] = { raise: v(`raise-${s}`), clear: v(`clear-${s}`) };
    return {
      name: v("name"),
      metric: v("metric"),
      instance: v("instance"),
      comparison: v("comparison"),
      levels,
      raiseAfter: v("raiseAfter"),
      clearAfter: v("clearAfter"),
      noDataIntervals: v("noDataIntervals"),
      scopeAll: formChecked(this.form, "scopeAll"),
      devices: v("devices"),
      tags: v("tags"),
      sites: v("sites"),
      kinds: v("kinds"),
      templates: v("templates"),
      enabled: formChecked(this.form, "enabled"),
    };
  }

  private fill(v: RuleFormValues): void {
    const set = (n: string, value: string): void => setFormValue(this.form, n, value);
    for (const k of ["name", "metric", "instance", "comparison", "raiseAfter", "clearAfter", "noDataIntervals", "devices", "tags", "sites", "kinds", "templates"] as const) {
      set(k, v[k]);
    }
    for (const s of LEVEL_SEVERITIES) {
      set(`raise-${s}`, v.levels[s]?.raise ?? "");
      set(`clear-${s}`, v.levels[s]?.clear ?? "");
    }
    const check = (n: string, on: boolean): void => {
      const el = this.form.elements.namedItem(n);
      if (el instanceof HTMLInputElement) el.checked = on;
    };
    check("scopeAll", v.scopeAll);
    check("enabled", v.enabled);
  }

  /** The form's rule; on unparseable numbers, every error the form and the service can name, shown at once. */
  private async parse(): Promise<ParsedRule | null> {
    const parsed = parseRuleForm(this.values(), this.editing?.rule.overrides ?? []);
    if (parsed.errors.length === 0) return parsed;
    // The service checks the rest without writing anything (a preview).
    let server: ApiError = validationError([]);
    try {
      await api.previewRule(parsed.rule);
    } catch (err) {
      server = toApiError(err);
      if (server.kind !== "validation") server = validationError([]);
    }
    this.showErrors(formErrors(server, parsed.order, parsed.errors));
    return null;
  }

  private showErrors(err: ApiError): void {
    showApiError(this.form, err, RULE_FIELDS);
  }

  private async submit(): Promise<void> {
    await busy(this.form, async () => {
      const parsed = await this.parse();
      if (parsed === null) return;
      const before = this.editing;
      try {
        await api.putRule(parsed.rule);
        // A renamed rule is a new one (rules are keyed by name): drop the old.
        if (before !== null && before.rule.name !== parsed.rule.name) await api.removeRule(before.id);
      } catch (err) {
        this.showErrors(formErrors(toApiError(err), parsed.order));
        return;
      }
      this.reset();
      await this.load();
    });
  }

  private async preview(): Promise<void> {
    const parsed = await this.parse();
    if (parsed === null) {
      draw(this.previewOut, nothing);
      return;
    }
    try {
      const hits = await api.previewRule(parsed.rule);
      clearFieldErrors(this.form);
      draw(this.previewOut, previewResult(parsed.rule.name, hits));
    } catch (err) {
      draw(this.previewOut, nothing);
      this.showErrors(formErrors(toApiError(err), parsed.order));
    }
  }

  private reset(): void {
    this.editing = null;
    this.form.reset();
    clearFieldErrors(this.form);
    draw(this.previewOut, nothing);
    formMode("rule", "rule", null);
  }

  private edit(v: RuleView): void {
    this.reset();
    this.editing = v;
    this.fill(formValuesOf(v.rule));
    formMode("rule", "rule", v.rule.name);
    this.form.scrollIntoView({ block: "nearest" });
    this.form.querySelector<HTMLInputElement>("input[name=name]")?.focus();
  }

  private onListClick(e: MouseEvent): void {
    const t = listAction(e);
    const v = this.rules.find((r) => r.id === t?.id);
    if (t === null || v === undefined) return;
    switch (t.action) {
      case "edit-rule":
        this.edit(v);
        break;
      case "toggle-rule":
        void this.write(() => api.putRule({ ...v.rule, enabled: !v.rule.enabled }));
        break;
      case "remove-rule":
        void this.remove(v);
        break;
    }
  }

  private async remove(v: RuleView): Promise<void> {
    const ok = await confirmInPage(this.confirm, `Remove rule ${v.rule.name}? Its active alarms clear.`, "Remove rule");
    if (!ok) return;
    await this.write(() => api.removeRule(v.id));
    if (this.editing?.id === v.id) this.reset();
  }

  private async write(action: () => Promise<unknown>): Promise<boolean> {
    return listWrite(this.listError, action, () => this.load());
  }
}

