// The alarm drawer's comment thread (issue 13, "an alarm detail panel with
// ... its comment thread"): every comment on the alarm, oldest first, with who
// wrote it and when, and a form to add one. Comments written with an
// acknowledgement are part of the thread. A pure template: the drawer loads
// the thread (`api.showAlarm`) and posts new comments (`api.commentAlarm`).
import type { AlarmComment, AlarmId } from "./generated/bindings";
import { formatIsoDateTime } from "./format";
import { html, nothing, type TemplateResult } from "./html";

/** The store's limit on a comment's length (core's COMMENT_MAX). */
export const COMMENT_MAX = 500;

export type Thread =
  | { readonly state: "loading" }
  | { readonly state: "failed"; readonly message: string }
  | { readonly state: "loaded"; readonly comments: readonly AlarmComment[] };

export function commentThread(id: AlarmId, thread: Thread, error: string): TemplateResult {
  const count = thread.state === "loaded" ? ` (${thread.comments.length})` : "";
  let body: TemplateResult;
  if (thread.state === "loading") body = html`<p class="muted">Loading comments…</p>`;
  else if (thread.state === "failed") body = html`<p class="console-error">Comments could not be loaded: ${thread.message}</p>`;
  else if (thread.comments.length === 0) body = html`<p class="muted drawer-no-comments">No comments yet.</p>`;
  else
    body = html`<ol class="drawer-comments">
      ${thread.comments.map(
        (c) => html`<li class="drawer-comment">
          <div class="comment-meta"><span class="comment-by">${c.by}</span> <time datetime=${c.at}>${formatIsoDateTime(new Date(c.at))}</time></div>
          <p class="comment-text">${c.text}</p>
        </li>`,
      )}
    </ol>`;
  return html`<h4 class="drawer-sub" id="drawer-comments-title">Comments${count}</h4>
    ${body}
    <form class="drawer-comment-form" data-drawer="comment" data-id=${id} aria-labelledby="drawer-comments-title">
      <label class="visually-hidden" for="drawer-comment-text">Add a comment</label>
      <textarea id="drawer-comment-text" rows="2" maxlength=${COMMENT_MAX} placeholder="Add a comment (ticket, what was done…)"></textarea>
      <button type="submit" class="small">Add comment</button>
      ${error === "" ? nothing : html`<span class="field-error" role="alert">${error}</span>`}
    </form>`;
}
