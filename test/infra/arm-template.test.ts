// The paper deployment the infra tests trust (test/support/arm-template.ts): it must read ARM JSON as ARM does,
// or the template test would check a fiction.
import { describe, expect, it } from "vitest";
import type { ArmTemplate } from "../support/arm-template";
import { expandTemplate, TEST_SUBSCRIPTION } from "../support/arm-template";

const group = `/subscriptions/${TEST_SUBSCRIPTION}/resourceGroups/rg`;

describe("ARM template expansion", () => {
  it("unrolls copy loops over variables, with parameters, defaults and string escapes", () => {
    const template: ArmTemplate = {
      parameters: { prefix: {}, suffix: { defaultValue: "x" } },
      variables: { items: [{ name: "a", ttl: "[mul(2, 3)]" }, { name: "it''s" }] },
      resources: [
        {
          copy: { name: "loop", count: "[length(variables('items'))]" },
          type: "Microsoft.Test/things",
          name: "[format('{0}-{1}-{2}', parameters('prefix'), variables('items')[copyIndex()].name, parameters('suffix'))]",
          properties: {
            ttl: "[if(equals(copyIndex(), 0), variables('items')[0].ttl, null())]",
            raw: "[[not]",
            quoted: "[concat('it''s ', string(mul(2, 3)))]",
          },
        },
      ],
    };
    const { resources } = expandTemplate(template, { prefix: "p" }, "rg");
    expect(resources.map((r) => [r.name, r.id, r.properties])).toEqual([
      ["p-a-x", `${group}/providers/Microsoft.Test/things/p-a-x`, { ttl: 6, raw: "[not]", quoted: "it's 6" }],
      [
        "p-it''s-x",
        `${group}/providers/Microsoft.Test/things/p-it''s-x`,
        { ttl: null, raw: "[not]", quoted: "it's 6" },
      ],
    ]);
  });

  it("follows modules: parameters in, outputs back, resources of a deployed resource left as references", () => {
    const inner: ArmTemplate = {
      parameters: { name: {} },
      resources: [{ type: "Microsoft.Test/parents/children", name: "[format('{0}/c', parameters('name'))]" }],
      outputs: {
        id: { value: "[resourceId('Microsoft.Test/parents/children', parameters('name'), 'c')]" },
        host: {
          value: "[reference(resourceId('Microsoft.Test/parents', parameters('name')), '1').hostName]",
        },
      },
    };
    const outer: ArmTemplate = {
      resources: [
        {
          type: "Microsoft.Resources/deployments",
          name: "mod",
          resourceGroup: "rg",
          properties: { template: inner as never, parameters: { name: { value: "[toLower('P')]" } } },
        },
        {
          type: "Microsoft.Resources/deployments",
          name: "user",
          resourceGroup: "rg",
          properties: {
            template: {
              parameters: { host: {} },
              resources: [
                { type: "Microsoft.Test/sites", name: "s", properties: { url: "[parameters('host')]" } },
              ],
            } as never,
            parameters: {
              host: {
                value:
                  "[format('https://{0}', reference(extensionResourceId('/x', 'Microsoft.Resources/deployments', 'mod'), '1').outputs.host.value)]",
              },
            },
          },
        },
      ],
      outputs: {
        id: {
          value:
            "[reference(extensionResourceId('/x', 'Microsoft.Resources/deployments', 'mod')).outputs.id.value]",
        },
      },
    };
    const { resources, outputs } = expandTemplate(outer, {});
    expect(resources.map((r) => [r.deployment, r.id])).toEqual([
      ["mod", `${group}/providers/Microsoft.Test/parents/p/children/c`],
      ["user", `${group}/providers/Microsoft.Test/sites/s`],
    ]);
    expect(resources[1]!.properties.url).toBe(
      `https://<reference(${group}/providers/Microsoft.Test/parents/p).hostName>`,
    );
    expect(outputs.id).toBe(`${group}/providers/Microsoft.Test/parents/p/children/c`);
  });

  it("refuses what it does not understand instead of guessing", () => {
    const withKeys: ArmTemplate = {
      resources: [
        { type: "Microsoft.Test/things", name: "t", properties: { key: "[listKeys('id', '1').key1]" } },
      ],
    };
    expect(() => expandTemplate(withKeys, {})).toThrow(/listKeys\(\) is not supported/);
    const missing: ArmTemplate = {
      parameters: { p: {} },
      resources: [{ type: "A.B/c", name: "[parameters('p')]" }],
    };
    expect(() => expandTemplate(missing, {})).toThrow(/Parameter p has no value/);
  });
});
