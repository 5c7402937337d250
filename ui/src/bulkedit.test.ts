import { describe, expect, it } from "vitest";
import type { DevicePatch } from "./generated/bindings";
import { device } from "./fixtures";
import { ApiFailure } from "./apierror";
import { applyTags, bulkChangeFromForm, bulkPatch, CLEAR, failureLine, isEmptyChange, KEEP, resultSummary, runBulk } from "./bulkedit";

describe("bulk patches", () => {
  it("adds, removes and replaces tags without duplicates", () => {
    expect(applyTags(["a", "b"], "add", ["b", "c", "c"])).toEqual(["a", "b", "c"]);
    expect(applyTags(["a", "b"], "remove", ["a", "x"])).toEqual(["b"]);
    expect(applyTags(["a"], "replace", ["x", "x", "y"])).toEqual(["x", "y"]);
  });

  it("sends only what changes for each device, and nothing when nothing does", () => {
    const d = device({ siteName: "HQ", tags: ["core"], credentialName: "lab", enabled: true });
    expect(bulkPatch(d, { site: "HQ", enabled: true, tags: { mode: "add", tags: ["core"] } })).toBeNull();
    const p = bulkPatch(d, { site: "", credential: "", enabled: false, tags: { mode: "add", tags: ["edge"] } });
    expect(p).toMatchObject({ site: "", credential: "", enabled: false, tags: ["core", "edge"], name: null, address: null });
    expect(bulkPatch(d, { site: "Lab" })).toMatchObject({ site: "Lab", tags: null, credential: null, enabled: null });
    expect(isEmptyChange({})).toBe(true);
    expect(isEmptyChange({ enabled: false })).toBe(false);
  });
});

describe("running a bulk edit", () => {
  it("calls update once per device that changes, reports progress and keeps each failure", async () => {
    const devs = [
      device({ id: "1", name: "r1" }),
      device({ id: "2", name: "r2", enabled: false }),
      device({ id: "3", name: "r3" }),
    ];
    const calls: [string, DevicePatch][] = [];
    const seen: string[] = [];
    const r = await runBulk(
      devs,
      { enabled: false },
      async (id, patch) => {
        calls.push([id, patch]);
        if (id === "3") throw new ApiFailure({ kind: "validation", detail: "bad", fields: [{ field: "enabled", message: "no" }] });
      },
      (done, total) => seen.push(`${done}/${total}`),
    );
    expect(calls.map(([id]) => id)).toEqual(["1", "3"]);
    expect(seen).toEqual(["0/3", "1/3", "2/3", "3/3"]);
    expect(r.updated).toBe(1);
    expect(r.unchanged).toBe(1);
    expect(r.failed.map(failureLine)).toEqual(["r3: enabled: no"]);
    expect(resultSummary(r)).toBe("1 updated, 1 already so, 1 failed");
  });
});

describe("the bulk form", () => {
  const blank = { site: KEEP, tagsMode: "keep", tags: "", credential: KEEP, enabled: "keep" };
  it("reads only the fields set to change, with none meaning remove", () => {
    expect(bulkChangeFromForm({ ...blank, site: CLEAR, enabled: "false" })).toEqual({ change: { site: "", enabled: false } });
    expect(bulkChangeFromForm({ ...blank, site: "HQ", credential: "lab", tagsMode: "add", tags: "a, b" })).toEqual({
      change: { site: "HQ", credential: "lab", tags: { mode: "add", tags: ["a", "b"] } },
    });
    expect(bulkChangeFromForm({ ...blank, tagsMode: "replace" })).toEqual({ change: { tags: { mode: "replace", tags: [] } } });
  });

  it("refuses adding no tags, and a form that changes nothing", () => {
    expect(bulkChangeFromForm({ ...blank, tagsMode: "add", tags: " , " })).toEqual({ errors: [{ field: "tags", message: "name the tags to add" }] });
    expect(bulkChangeFromForm(blank)).toEqual({ errors: [{ field: "", message: "choose something to change" }] });
  });
});
