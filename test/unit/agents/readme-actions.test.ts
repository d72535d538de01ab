// The README's product-action table is the catalogue: every action, its call, its params with the required ones
// marked `\*`, and its impact (a formatter once turned the markers of four rows into emphasis; this catches that).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { PRODUCT_ACTIONS } from "../../../shared/products/catalogue";

const readme = readFileSync(join(__dirname, "..", "..", "..", "README.md"), "utf8");

/** Each row of the table as `{action, call, required, optional, impact}`. */
function tableRows() {
  const start = readme.indexOf("| product.action ");
  const table = readme.slice(start, readme.indexOf("\n\n", start)).split("\n").slice(2);
  return table.map((line) => {
    const [, action, call, params, impact] = line.split("|").map((cell) => cell.trim());
    const names = [...params!.matchAll(/`([a-z_]+)`(\\\*)?/g)];
    return {
      action: action!.replace(/`/g, ""),
      call: call!.replace(/`/g, ""),
      required: names.filter((name) => name[2]).map((name) => name[1]),
      optional: names.filter((name) => !name[2]).map((name) => name[1]),
      impact: impact!.includes("high-impact") ? "high_impact" : "additive",
    };
  });
}

describe("README product actions", () => {
  it("match the catalogue row for row, required params marked", () => {
    expect(tableRows()).toEqual(
      PRODUCT_ACTIONS.map((entry) => {
        const params = Object.entries(entry.params);
        return {
          action: `${entry.product}.${entry.action}`,
          call: `${entry.method} ${entry.path}`,
          required: params.filter(([, spec]) => spec.required).map(([name]) => name),
          optional: params.filter(([, spec]) => !spec.required).map(([name]) => name),
          impact: entry.impact,
        };
      }),
    );
  });
});
