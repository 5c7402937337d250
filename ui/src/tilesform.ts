// The "Map tiles" form (System tab): shows the stored tile server, saves a
// new one through the service (which checks it), and hands what was stored
// to the map. Its I/O comes in as functions, so it is tested without a shell.
import type { MapTiles } from "./generated/bindings";
import { toApiError } from "./apierror";
import { watchFieldErrors } from "./fieldwatch";
import { busy, clearFieldErrors, formValue, setFormValue, showApiError } from "./formdom";
import { TILES_FIELDS, tilesFromForm, tilesStatus } from "./tiles";

export interface TilesIo {
  load: () => Promise<MapTiles>;
  save: (t: MapTiles) => Promise<MapTiles>;
  /** The map takes the stored setting (at load and after a save). */
  apply: (t: MapTiles) => void;
}

export class MapTilesForm {
  constructor(
    private readonly form: HTMLFormElement,
    private readonly status: HTMLElement,
    private readonly io: TilesIo,
  ) {
    watchFieldErrors(form);
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      void this.submit();
    });
  }

  /** Reads the setting, shows it and applies it to the map. */
  async load(): Promise<void> {
    try {
      this.show(await this.io.load());
    } catch (err) {
      showApiError(this.form, toApiError(err), TILES_FIELDS);
    }
  }

  async submit(): Promise<void> {
    await busy(this.form, async () => {
      const wanted = tilesFromForm({ url: formValue(this.form, "url"), attribution: formValue(this.form, "attribution") });
      try {
        const saved = await this.io.save(wanted);
        clearFieldErrors(this.form);
        this.show(saved);
      } catch (err) {
        // Refused: the form keeps what was typed, the map what was stored.
        showApiError(this.form, toApiError(err), TILES_FIELDS);
      }
    });
  }

  private show(t: MapTiles): void {
    setFormValue(this.form, "url", t.url);
    setFormValue(this.form, "attribution", t.attribution);
    this.status.textContent = tilesStatus(t);
    this.io.apply(t);
  }
}
