// Bulk edit of selected devices: one change (site, tags, credential,
// enabled) turned into a DevicePatch per device, sent with the existing
// update_device command one device at a time, with progress and every
// failure kept per device. Sequential on purpose: the service validates and
// writes each patch on its own, and a failure names exactly one device.
import type { ApiError, Device, DevicePatch, FieldError } from "./generated/bindings";
import { emptyPatch } from "./deviceedit";
import { toApiError } from "./apierror";
import { parseTags } from "./inventory";

export type TagMode = "add" | "remove" | "replace";

/** What to change; an absent field is left as it is on every device. */
export interface BulkChange {
  /** A site name; "" removes the site. */
  site?: string;
  tags?: { readonly mode: TagMode; readonly tags: readonly string[] };
  /** A credential name; "" removes the credential. */
  credential?: string;
  enabled?: boolean;
}

export function isEmptyChange(c: BulkChange): boolean {
  return c.site === undefined && c.tags === undefined && c.credential === undefined && c.enabled === undefined;
}

export function applyTags(current: readonly string[], mode: TagMode, tags: readonly string[]): string[] {
  switch (mode) {
    case "replace":
      return [...new Set(tags)];
    case "add":
      return [...current, ...tags.filter((t, i) => !current.includes(t) && tags.indexOf(t) === i)];
    case "remove":
      return current.filter((t) => !tags.includes(t));
  }
}

const sameList = (a: readonly string[], b: readonly string[]): boolean =>
  a.length === b.length && a.every((x, i) => x === b[i]);

/** The patch for one device, or null when the change would not alter it (no call is made then). */
export function bulkPatch(d: Device, c: BulkChange): DevicePatch | null {
  const patch = emptyPatch();
  let any = false;
  if (c.site !== undefined && c.site !== (d.siteName ?? "")) {
    patch.site = c.site;
    any = true;
  }
  if (c.tags !== undefined) {
    const tags = applyTags(d.tags, c.tags.mode, c.tags.tags);
    if (!sameList(tags, d.tags)) {
      patch.tags = tags;
      any = true;
    }
  }
  if (c.credential !== undefined && c.credential !== (d.credentialName ?? "")) {
    patch.credential = c.credential;
    any = true;
  }
  if (c.enabled !== undefined && c.enabled !== d.enabled) {
    patch.enabled = c.enabled;
    any = true;
  }
  return any ? patch : null;
}

export interface BulkFailure {
  readonly device: Device;
  readonly error: ApiError;
}

export interface BulkResult {
  readonly updated: number;
  /** Devices the change would not alter. */
  readonly unchanged: number;
  readonly failed: readonly BulkFailure[];
}

export async function runBulk(
  devices: readonly Device[],
  change: BulkChange,
  update: (id: string, patch: DevicePatch) => Promise<unknown>,
  progress: (done: number, total: number) => void = () => undefined,
): Promise<BulkResult> {
  let updated = 0;
  let unchanged = 0;
  const failed: BulkFailure[] = [];
  progress(0, devices.length);
  for (const [i, d] of devices.entries()) {
    const patch = bulkPatch(d, change);
    if (patch === null) unchanged++;
    else {
      try {
        await update(d.id, patch);
        updated++;
      } catch (err) {
        failed.push({ device: d, error: toApiError(err) });
      }
    }
    progress(i + 1, devices.length);
  }
  return { updated, unchanged, failed };
}

/** One line per failed device: its name and what the service said (field messages first). */
export function failureLine(f: BulkFailure): string {
  const fields = f.error.fields.map((e) => `${e.field}: ${e.message}`).join("; ");
  return `${f.device.name}: ${fields !== "" ? fields : f.error.detail || f.error.kind}`;
}

export function resultSummary(r: BulkResult): string {
  const parts = [`${r.updated} updated`];
  if (r.unchanged > 0) parts.push(`${r.unchanged} already so`);
  if (r.failed.length > 0) parts.push(`${r.failed.length} failed`);
  return parts.join(", ");
}

/** The bulk form's select value for "leave as it is". */
export const KEEP = "";
/** The bulk form's select value for "remove it" (no site, no credential). */
export const CLEAR = "\u2205";

export interface BulkFormValues {
  site: string;
  tagsMode: string;
  tags: string;
  credential: string;
  enabled: string;
}

/** The change the form asks for, or why it cannot be sent (per field, all at once). */
export function bulkChangeFromForm(v: BulkFormValues): { change: BulkChange } | { errors: FieldError[] } {
  const change: BulkChange = {};
  const errors: FieldError[] = [];
  if (v.site !== KEEP) change.site = v.site === CLEAR ? "" : v.site;
  if (v.credential !== KEEP) change.credential = v.credential === CLEAR ? "" : v.credential;
  if (v.enabled === "true" || v.enabled === "false") change.enabled = v.enabled === "true";
  if (v.tagsMode === "add" || v.tagsMode === "remove" || v.tagsMode === "replace") {
    const tags = parseTags(v.tags);
    if (tags.length === 0 && v.tagsMode !== "replace") errors.push({ field: "tags", message: `name the tags to ${v.tagsMode}` });
    change.tags = { mode: v.tagsMode, tags };
  }
  if (errors.length > 0) return { errors };
  if (isEmptyChange(change)) return { errors: [{ field: "", message: "choose something to change" }] };
  return { change };
}
