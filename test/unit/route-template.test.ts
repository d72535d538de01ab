// Route templates the devhost cannot match exactly as ASP.NET Core does are refused, never matched differently.
import { describe, expect, it } from "vitest";
import { compileRouteTemplate } from "../../shared/http/route-template";

describe("route templates", () => {
  it.each([
    ["complex segments", "files/{name}.{ext}", /complex segment/],
    ["an unknown constraint", "items/{id:datetime}", /not modelled/],
    ["a catch-all before the end", "{*rest}/tail", /catch-all parameter must be the last/],
    ["an optional parameter followed by a required one", "a/{x?}/{y}", /optional parameter must be followed/],
    ["an unclosed parameter", "a/{x", /unclosed/],
    ["a regex that does not compile", "a/{x:regex(()}", /not a valid pattern/],
    ["a length without its argument", "a/{x:length}", /needs 1 or 2 integer/],
  ])("refuses %s", (_what, template, message) => {
    expect(() => compileRouteTemplate(template)).toThrow(message);
  });

  it("keeps a regex constraint's slashes and escaped braces inside the parameter", () => {
    const template = compileRouteTemplate("d/{date:regex(^\\d{{4}}/\\d{{2}}$)}/x");
    expect(template.match("d/2024/05/x")).toBeNull(); // the request path splits on "/", the template does not
    expect(compileRouteTemplate("d/{code:regex(^\\d{{4}}$)}").match("d/2024")).toEqual({ code: "2024" });
  });

  it("gives a default value when the segment is absent", () => {
    expect(compileRouteTemplate("p/{page:int=1}").match("p")).toEqual({ page: "1" });
  });
});
