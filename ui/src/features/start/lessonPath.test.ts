import { describe, expect, it } from "vitest";
import mock from "../../api/mock-data.json";
import type { Lesson } from "../../api";
import { GROUPS, grouped, reflow } from "./lessonPath";

const lessons = (mock as unknown as { lessons: Lesson[] }).lessons;

describe("the lessons as a path", () => {
  it("starts with the online shop and lists every bundled lesson exactly once", () => {
    const g = grouped(lessons);
    expect(g[0].title).toBe("Start here");
    expect(g[0].lessons[0].rel).toBe("online-shop.toml");
    const all = g.flatMap((x) => x.lessons.map((l) => l.rel)).sort();
    expect(all).toEqual(lessons.map((l) => l.rel).sort());
    // every bundled lesson has its place in a group (none falls to "More lessons")
    expect(g.map((x) => x.title)).not.toContain("More lessons");
    expect(g.map((x) => x.title)).toEqual(GROUPS.map((x) => x.title));
  });

  it("puts a lesson in no group last", () => {
    const extra = { path: "/x/new.toml", rel: "lessons/new.toml", name: "New", description: "" };
    const g = grouped([...lessons, extra]);
    expect(g[g.length - 1]).toEqual({ title: "More lessons", lessons: [extra] });
  });

  it("reflows descriptions: paragraphs kept, hard line breaks removed", () => {
    expect(reflow("one\ntwo three\n\nfour\n  five\n")).toEqual(["one two three", "four five"]);
  });
});
