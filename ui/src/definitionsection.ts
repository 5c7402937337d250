// One section of stored definitions with a list and an add/edit form, as the
// Events screen has twice (event rules, forwarding targets): loading the
// list with its refusal shown above it, Edit filling the form, Cancel and a
// save resetting it, Remove asked in the page. A subclass says how to fetch,
// draw, fill and save its kind of definition, and what its row actions do.
import { toApiError } from "./apierror";
import { watchFieldErrors } from "./fieldwatch";
import { clearFieldErrors, confirmInPage, element } from "./formdom";
import { draw, nothing, type TemplateResult } from "./html";
import { formMode, listAction, listWrite } from "./listscreen";

export abstract class DefinitionSection<V extends { id: string; name: string }> {
  protected readonly form: HTMLFormElement;
  protected readonly list: HTMLElement;
  protected readonly listError: HTMLElement;
  private readonly confirm = element<HTMLDialogElement>("confirm-dialog");
  protected items: V[] = [];
  protected editing: V | null = null;
  private loaded = false;

  /** The ids follow `<prefix>-form`, `-body`, `-error`, `-cancel` (and formMode's). */
  constructor(
    private readonly prefix: string,
    private readonly noun: string,
  ) {
    this.form = element<HTMLFormElement>(`${prefix}-form`);
    this.list = element(`${prefix}s-body`);
    this.listError = element(`${prefix}s-error`);
    watchFieldErrors(this.form);
    this.form.addEventListener("submit", (e) => {
      e.preventDefault();
      void this.submit();
    });
    element(`${prefix}-cancel`).addEventListener("click", () => this.reset());
    this.list.addEventListener("click", (e) => {
      const a = listAction(e);
      const v = this.items.find((x) => x.id === a?.id);
      if (a !== null && v !== undefined) this.act(a.action, v);
    });
  }

  protected abstract fetch(): Promise<V[]>;
  protected abstract table(items: readonly V[]): TemplateResult;
  /** Puts `v`'s values in the form. */
  protected abstract fill(v: V): void;
  /** Saves the form; true when it was saved (the section then resets and reloads). */
  protected abstract save(): Promise<boolean>;
  /** A row button other than Edit (`edit-<what>`) was clicked. */
  protected abstract act(action: string, v: V): void;
  /** Shows only the boxes the form's current choices use. */
  protected showKind(): void {}

  async show(): Promise<void> {
    if (!this.loaded) await this.load();
  }

  /** A CLI edit or another screen changed the definitions. */
  onChanged(): void {
    if (this.loaded) void this.load();
  }

  protected async load(): Promise<void> {
    try {
      this.items = await this.fetch();
      this.loaded = true;
      draw(this.listError, nothing);
      draw(this.list, this.table(this.items));
    } catch (err) {
      draw(this.listError, toApiError(err).detail);
    }
  }

  /** Runs a row action; its refusal shows above the list, which reloads. */
  protected write(action: () => Promise<unknown>): void {
    void listWrite(this.listError, action, () => this.load());
  }

  private async submit(): Promise<void> {
    if (!(await this.save())) return;
    this.reset();
    await this.load();
  }

  protected reset(): void {
    this.editing = null;
    this.form.reset();
    clearFieldErrors(this.form);
    this.showKind();
    formMode(this.prefix, this.noun, null);
  }

  protected edit(v: V): void {
    this.reset();
    this.editing = v;
    this.fill(v);
    this.showKind();
    formMode(this.prefix, this.noun, v.name);
    this.form.scrollIntoView({ block: "nearest" });
    this.form.querySelector<HTMLInputElement>("input[name=name]")?.focus();
  }

  /** Asks with `message`, then removes; a form editing `v` is reset. */
  protected async removeAsked(v: V, message: string, confirmLabel: string, remove: () => Promise<unknown>): Promise<void> {
    if (!(await confirmInPage(this.confirm, message, confirmLabel))) return;
    await listWrite(this.listError, remove, () => this.load());
    if (this.editing?.id === v.id) this.reset();
  }
}
