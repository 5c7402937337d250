// Templates escape by default: screens build markup with lit-html's `html`
// tag, whose bindings are always text or attribute values, never markup, so a
// device named `<img onerror=...>` shows as those characters. `draw` is the
// one way a template reaches the page. A container lit draws into is lit's:
// writing its innerHTML or textContent as well would cut lit's markers out,
// so text for such a container goes through `draw` too.
import { render } from "lit-html";

export { html, nothing } from "lit-html";
export type { TemplateResult } from "lit-html";

const owned = new WeakSet<Element | DocumentFragment>();

/** Renders `content` (a template, text, a list of templates or `nothing`) as the whole of `container`. */
export function draw(container: HTMLElement | DocumentFragment, content: unknown): void {
  // The first draw replaces whatever index.html put there.
  if (!owned.has(container)) {
    container.replaceChildren();
    owned.add(container);
  }
  render(content, container);
}

/** A template as a detached element, for APIs that take a node (Leaflet popups and tooltips) and for tests. */
export function toElement(content: unknown, tag: keyof HTMLElementTagNameMap = "div"): HTMLElement {
  const el = document.createElement(tag);
  draw(el, content);
  return el;
}
