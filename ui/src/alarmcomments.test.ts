// @vitest-environment jsdom
import { describe, expect, it } from "vitest";
import { alarmDetail } from "./alarmdetail";
import { commentThread } from "./alarmcomments";
import { alarm } from "./fixtures";
import { toElement } from "./html";

const ID = "0192e4a0-0000-7000-8000-000000000001";

describe("alarm comment thread", () => {
  it("lists every comment oldest first, with who and when, as text", () => {
    const el = toElement(
      commentThread(
        ID,
        {
          state: "loaded",
          comments: [
            { alarmId: ID, at: "2025-01-01T11:00:00Z", by: "ops", text: "ticket 7" },
            { alarmId: ID, at: "2025-01-01T11:05:00Z", by: "noc2", text: "<b>fibre cut</b>\nsecond line" },
          ],
        },
        "",
      ),
    );
    expect(el.querySelector("h4")?.textContent).toBe("Comments (2)");
    const items = [...el.querySelectorAll(".drawer-comment")];
    expect(items.map((li) => li.querySelector(".comment-by")?.textContent)).toEqual(["ops", "noc2"]);
    expect(items[1]?.querySelector(".comment-text")?.textContent).toBe("<b>fibre cut</b>\nsecond line");
    expect(el.querySelector("b")).toBeNull();
    expect(items[0]?.querySelector("time")?.getAttribute("datetime")).toBe("2025-01-01T11:00:00Z");
    const form = el.querySelector("form[data-drawer=comment]");
    expect(form?.getAttribute("data-id")).toBe(ID);
    expect(form?.querySelector("textarea")?.getAttribute("maxlength")).toBe("500");
  });

  it("says when there are none, while loading, when loading failed, and shows a refused comment's reason", () => {
    expect(toElement(commentThread(ID, { state: "loaded", comments: [] }, "")).textContent).toContain("No comments yet.");
    expect(toElement(commentThread(ID, { state: "loading" }, "")).textContent).toContain("Loading comments");
    expect(toElement(commentThread(ID, { state: "failed", message: "store closed" }, "")).textContent).toContain("store closed");
    const refused = toElement(commentThread(ID, { state: "loaded", comments: [] }, "must not be empty"));
    expect(refused.querySelector("[role=alert]")?.textContent).toBe("must not be empty");
  });

  it("sits in the drawer's fault-management section", () => {
    const a = alarm({ id: ID });
    const more = commentThread(ID, { state: "loaded", comments: [] }, "");
    const el = toElement(alarmDetail(a, { deviceName: "r1", nowMs: Date.now(), more }));
    expect(el.querySelector("[data-slot=fault-management] form[data-drawer=comment]")).not.toBeNull();
  });
});
