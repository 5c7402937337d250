// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from "vitest";
import type { MapTiles } from "./generated/bindings";
import { ApiFailure } from "./apierror";
import { TILE_MAX_ZOOM, tileLayerSpec, tilesFromForm, tilesStatus } from "./tiles";
import { MapTilesForm, type TilesIo } from "./tilesform";
import INDEX_HTML from "../index.html?raw";

const LOCAL: MapTiles = { url: "http://127.0.0.1:8080/{z}/{x}/{y}.png", attribution: "local tiles" };

describe("tile layer spec", () => {
  it("is none for an empty URL: the offline basemap only", () => {
    expect(tileLayerSpec(null)).toBeNull();
    expect(tileLayerSpec({ url: "  ", attribution: "ignored" })).toBeNull();
  });

  it("draws a set URL with its attribution and the deeper zoom", () => {
    expect(tileLayerSpec(LOCAL)).toEqual({ url: LOCAL.url, attribution: "local tiles", maxZoom: TILE_MAX_ZOOM });
    expect(TILE_MAX_ZOOM).toBeGreaterThan(8);
  });

  it("never hands Leaflet markup as an attribution", () => {
    expect(tileLayerSpec({ url: LOCAL.url, attribution: "<img src=x>" })?.attribution).toBe("");
    expect(tileLayerSpec({ url: LOCAL.url, attribution: "© OSM & friends" })?.attribution).toBe("© OSM & friends");
  });

  it("trims the form and says what the map uses", () => {
    expect(tilesFromForm({ url: ` ${LOCAL.url} `, attribution: " local tiles " })).toEqual(LOCAL);
    expect(tilesStatus({ url: "", attribution: "" })).toBe("now: the offline basemap only");
    expect(tilesStatus(LOCAL)).toBe("now: tiles from 127.0.0.1:8080 over the offline basemap");
  });
});

/** The System tab's real form, from index.html. */
function mount(): { form: HTMLFormElement; status: HTMLElement } {
  const doc = new DOMParser().parseFromString(INDEX_HTML, "text/html");
  const section = doc.getElementById("tiles-section");
  if (section === null) throw new Error("index.html lacks #tiles-section");
  document.body.replaceChildren(document.importNode(section, true));
  return {
    form: document.getElementById("tiles-form") as HTMLFormElement,
    status: document.getElementById("tiles-now") as HTMLElement,
  };
}

function input(name: string): HTMLInputElement {
  return document.querySelector(`#tiles-form [name="${name}"]`) as HTMLInputElement;
}

function errorFor(name: string): string {
  return document.querySelector(`#tiles-form [data-error-for="${name}"]`)?.textContent ?? "";
}

afterEach(() => document.body.replaceChildren());

describe("map tiles form", () => {
  it("has an input and an error slot for every field the service names", () => {
    mount();
    for (const f of ["url", "attribution"]) {
      expect(input(f), f).not.toBeNull();
      expect(document.querySelector(`#tiles-form [data-error-for="${f}"]`), f).not.toBeNull();
    }
  });

  it("shows the stored setting and hands it to the map", async () => {
    const { form, status } = mount();
    const apply = vi.fn();
    await new MapTilesForm(form, status, { load: async () => LOCAL, save: vi.fn(), apply }).load();
    expect([input("url").value, input("attribution").value]).toEqual([LOCAL.url, LOCAL.attribution]);
    expect(status.textContent).toContain("127.0.0.1:8080");
    expect(apply).toHaveBeenCalledWith(LOCAL);
  });

  it("shows a refused URL's field error, keeps what was typed and leaves the map alone", async () => {
    const { form, status } = mount();
    const apply = vi.fn();
    const io: TilesIo = {
      load: async () => ({ url: "", attribution: "" }),
      save: async () => {
        throw new ApiFailure({
          kind: "validation",
          detail: "url: plain http:// is allowed only to 127.0.0.1 or localhost",
          fields: [{ field: "url", message: "plain http:// is allowed only to 127.0.0.1 or localhost" }],
        });
      },
      apply,
    };
    const f = new MapTilesForm(form, status, io);
    await f.load();
    apply.mockClear();
    input("url").value = "http://tiles.example.net/{z}/{x}/{y}.png";
    await f.submit();
    expect(errorFor("url")).toContain("only to 127.0.0.1");
    expect(input("url").getAttribute("aria-invalid")).toBe("true");
    expect(input("url").value).toBe("http://tiles.example.net/{z}/{x}/{y}.png");
    expect(status.textContent).toBe("now: the offline basemap only");
    expect(apply).not.toHaveBeenCalled();
  });

  it("saves the trimmed setting, clears the errors and applies what was stored", async () => {
    const { form, status } = mount();
    const apply = vi.fn();
    const save = vi.fn(async (t: MapTiles) => t);
    const f = new MapTilesForm(form, status, { load: async () => ({ url: "", attribution: "" }), save, apply });
    await f.load();
    form.querySelector<HTMLElement>('[data-error-for="url"]')!.textContent = "an old error";
    input("url").value = `  ${LOCAL.url}`;
    input("attribution").value = "local tiles ";
    await f.submit();
    expect(save).toHaveBeenCalledWith(LOCAL);
    expect(errorFor("url")).toBe("");
    expect(apply).toHaveBeenLastCalledWith(LOCAL);
    expect(status.textContent).toContain("tiles from 127.0.0.1:8080");
    // An empty URL turns the tiles off again.
    input("url").value = "";
    await f.submit();
    expect(apply).toHaveBeenLastCalledWith({ url: "", attribution: "local tiles" });
    expect(status.textContent).toBe("now: the offline basemap only");
  });
});
