// Expands a compiled ARM template (the JSON `bicep build` writes) into the concrete resources ARM would deploy for
// given parameters: expressions evaluated, copy loops unrolled, nested deployments (Bicep modules) followed.
// Values only known once deployed (reference() of a resource) stay symbolic, e.g. "<reference(/…/vaults/kv).vaultUri>",
// so a test can still check that a setting points at the very resource a role is granted on.
import { createHash } from "node:crypto";

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Value = Json | Unresolved | undefined | Value[] | { [key: string]: Value };

/** A runtime value ARM only knows after deployment; property access extends its path. */
export class Unresolved {
  constructor(readonly path: string) {}
  toString(): string {
    return `<${this.path}>`;
  }
}

export interface ArmTemplate {
  languageVersion?: string;
  parameters?: Record<string, { defaultValue?: Json }>;
  variables?: Record<string, Json>;
  resources: Array<Record<string, Json>>;
  outputs?: Record<string, { value: Json }>;
}

export interface DeployedResource {
  id: string;
  type: string;
  name: string;
  /** The module path that declares it, e.g. "function-app". */
  deployment: string;
  properties: Record<string, unknown>;
  [field: string]: unknown;
}

export interface Expansion {
  resources: DeployedResource[];
  outputs: Record<string, unknown>;
}

export const TEST_SUBSCRIPTION = "00000000-0000-0000-0000-00000000feed";
const TEST_TENANT = "00000000-0000-0000-0000-0000000000aa";

/** Deploys `template` on paper at subscription scope (or into `resourceGroup`). */
export function expandTemplate(
  template: ArmTemplate,
  parameters: Record<string, Json>,
  resourceGroup?: string,
): Expansion {
  const deployment = new Deployment(template, parameters, resourceGroup, "");
  return { resources: deployment.resources(), outputs: deployment.outputs() };
}

const hash = (parts: unknown[]) =>
  createHash("sha256")
    .update(parts.map((p) => String(p)).join("|"))
    .digest("hex");

class Deployment {
  private readonly variableCache = new Map<string, Value>();
  private readonly children = new Map<string, Deployment>();
  private expanded?: DeployedResource[];

  constructor(
    private readonly template: ArmTemplate,
    private readonly parameterValues: Record<string, Value>,
    private readonly resourceGroup: string | undefined,
    private readonly path: string,
  ) {
    if (template.languageVersion)
      throw new Error("Symbolic-name templates (languageVersion 2) are not supported.");
  }

  resources(): DeployedResource[] {
    if (this.expanded) return this.expanded;
    const out: DeployedResource[] = [];
    for (const resource of this.template.resources) {
      if (resource.condition !== undefined && !this.evaluate(resource.condition)) continue;
      const copy = resource.copy as { count: Json } | undefined;
      const count = copy ? Number(this.evaluate(copy.count)) : 1;
      for (let i = 0; i < count; i++) {
        const index = copy ? i : undefined;
        if (resource.type === "Microsoft.Resources/deployments") {
          out.push(...this.child(resource, index).resources());
        } else {
          out.push(this.deployed(resource, index));
        }
      }
    }
    this.expanded = out;
    return out;
  }

  outputs(): Record<string, unknown> {
    const result: Record<string, unknown> = {};
    for (const [name, output] of Object.entries(this.template.outputs ?? {}))
      result[name] = settled(this.evaluate(output.value));
    return result;
  }

  private deployed(resource: Record<string, Json>, copyIndex: number | undefined): DeployedResource {
    const fields: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(resource)) {
      if (key === "copy" || key === "dependsOn" || key === "condition") continue;
      fields[key] = settled(this.evaluate(value, copyIndex));
    }
    const type = String(fields.type);
    const name = String(fields.name);
    const scope = fields.scope === undefined ? this.scopeId() : String(fields.scope);
    const id =
      type === "Microsoft.Resources/resourceGroups"
        ? `/subscriptions/${TEST_SUBSCRIPTION}/resourceGroups/${name}`
        : `${scope}/providers/${qualify(type, name.split("/"))}`;
    return {
      ...fields,
      id,
      type,
      name,
      deployment: this.path,
      properties: (fields.properties ?? {}) as Record<string, unknown>,
    };
  }

  private child(resource: Record<string, Json>, copyIndex: number | undefined): Deployment {
    const name = String(this.evaluate(resource.name, copyIndex));
    const existing = this.children.get(name);
    if (existing) return existing;
    const properties = resource.properties as unknown as {
      template: ArmTemplate;
      parameters?: Record<string, { value: Json } | string>;
    };
    const parameters: Record<string, Value> = {};
    for (const [key, parameter] of Object.entries(properties.parameters ?? {})) {
      // Bicep writes a conditional parameter as one expression yielding the whole {value} object.
      const entry = (typeof parameter === "string" ? this.evaluate(parameter, copyIndex) : parameter) as {
        value: Json;
      };
      parameters[key] = typeof parameter === "string" ? entry.value : this.evaluate(entry.value, copyIndex);
    }
    const group =
      resource.resourceGroup === undefined
        ? this.resourceGroup
        : String(this.evaluate(resource.resourceGroup));
    const deployment = new Deployment(
      properties.template,
      parameters,
      group,
      this.path ? `${this.path}/${name}` : name,
    );
    this.children.set(name, deployment);
    return deployment;
  }

  private scopeId(): string {
    const subscription = `/subscriptions/${TEST_SUBSCRIPTION}`;
    return this.resourceGroup ? `${subscription}/resourceGroups/${this.resourceGroup}` : subscription;
  }

  private parameter(name: string): Value {
    if (name in this.parameterValues) return this.parameterValues[name];
    const declared = this.template.parameters?.[name];
    if (declared?.defaultValue === undefined) throw new Error(`Parameter ${name} has no value.`);
    return this.evaluate(declared.defaultValue);
  }

  private variable(name: string): Value {
    if (!this.variableCache.has(name)) {
      const declared = this.template.variables?.[name];
      if (declared === undefined) throw new Error(`Variable ${name} is not declared.`);
      this.variableCache.set(name, this.evaluate(declared));
    }
    return this.variableCache.get(name);
  }

  /** Evaluates a template value: "[expr]" strings anywhere inside it, "[[" as an escaped literal "[". */
  evaluate(value: Json | undefined, copyIndex?: number): Value {
    if (typeof value === "string") {
      if (value.startsWith("[[")) return value.slice(1);
      if (value.startsWith("[") && value.endsWith("]"))
        return this.expression(new Parser(value.slice(1, -1)).parse(), copyIndex);
      return value;
    }
    if (Array.isArray(value)) return value.map((item) => this.evaluate(item, copyIndex));
    if (value && typeof value === "object") {
      const out: Record<string, Value> = {};
      // Keys may be expressions too (`{ '${identityId}': {} }` in Bicep).
      for (const [key, item] of Object.entries(value))
        out[text(this.evaluate(key, copyIndex))] = this.evaluate(item, copyIndex);
      return out;
    }
    return value;
  }

  private expression(node: Node, copyIndex: number | undefined): Value {
    switch (node.kind) {
      case "literal":
        return node.value;
      case "member": {
        const target = this.expression(node.target, copyIndex);
        const key = node.key.kind === "literal" ? node.key.value : this.expression(node.key, copyIndex);
        return member(target, key);
      }
      case "call": {
        if (node.name === "if") {
          const [condition, whenTrue, whenFalse] = node.args;
          return this.expression(this.expression(condition!, copyIndex) ? whenTrue! : whenFalse!, copyIndex);
        }
        const args = node.args.map((arg) => this.expression(arg, copyIndex));
        return this.call(node.name, args, copyIndex);
      }
    }
  }

  private call(name: string, args: Value[], copyIndex: number | undefined): Value {
    const [a, b] = args;
    switch (name.toLowerCase()) {
      case "parameters":
        return this.parameter(String(a));
      case "variables":
        return this.variable(String(a));
      case "copyindex": {
        if (copyIndex === undefined) throw new Error("copyIndex() outside a copy loop.");
        return copyIndex + (typeof a === "number" ? a : typeof b === "number" ? b : 0);
      }
      case "reference": {
        const id = String(a);
        const module = /\/providers\/Microsoft\.Resources\/deployments\/([^/]+)$/.exec(id);
        if (module) {
          const child = this.children.get(module[1]!) ?? this.childNamed(module[1]!);
          const outputs: Record<string, Value> = {};
          for (const [key, output] of Object.entries(child.outputs()))
            outputs[key] = { value: output as Value };
          return { outputs };
        }
        return new Unresolved(`reference(${id})`);
      }
      case "resourceid":
        return this.resourceId(args.map(String));
      case "subscriptionresourceid":
        return `/subscriptions/${TEST_SUBSCRIPTION}/providers/${qualify(String(a), args.slice(1).map(String))}`;
      case "extensionresourceid":
        return `${String(a)}/providers/${qualify(String(b), args.slice(2).map(String))}`;
      case "subscription":
        return {
          id: `/subscriptions/${TEST_SUBSCRIPTION}`,
          subscriptionId: TEST_SUBSCRIPTION,
          tenantId: TEST_TENANT,
        };
      case "resourcegroup":
        if (!this.resourceGroup) throw new Error("resourceGroup() at subscription scope.");
        return { id: this.scopeId(), name: this.resourceGroup, location: "testregion" };
      case "tenant":
        return { tenantId: TEST_TENANT };
      case "uniquestring":
        return hash(args).slice(0, 13);
      case "guid": {
        const h = hash(args);
        return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
      }
      case "format":
        return String(a).replace(/\{(\d+)(:[^}]*)?\}/g, (_, n: string) => text(args[Number(n) + 1]));
      case "concat":
        return Array.isArray(a) ? args.flatMap((x) => x as Value[]) : args.map(text).join("");
      case "createarray":
        return args;
      case "createobject": {
        const out: Record<string, Value> = {};
        for (let i = 0; i < args.length; i += 2) out[String(args[i])] = args[i + 1];
        return out;
      }
      case "union":
        if (Array.isArray(a)) return [...new Set(args.flatMap((x) => x as Value[]))];
        return Object.assign({}, ...args.filter((x) => x !== null)) as Value;
      case "empty":
        return (
          a === null ||
          a === undefined ||
          a === "" ||
          (Array.isArray(a) && a.length === 0) ||
          (typeof a === "object" && !(a instanceof Unresolved) && Object.keys(a).length === 0)
        );
      case "equals":
        return JSON.stringify(a) === JSON.stringify(b);
      case "not":
        return !a;
      case "and":
        return args.every(Boolean);
      case "or":
        return args.some(Boolean);
      case "null":
        return null;
      case "true":
        return true;
      case "false":
        return false;
      case "length":
        return Array.isArray(a) || typeof a === "string" ? a.length : Object.keys(a as object).length;
      case "mul":
        return Number(a) * Number(b);
      case "add":
        return Number(a) + Number(b);
      case "sub":
        return Number(a) - Number(b);
      case "take":
        return (a as string | Value[]).slice(0, Number(b));
      case "tolower":
        return String(a).toLowerCase();
      case "toupper":
        return String(a).toUpperCase();
      case "string":
        return typeof a === "string" ? a : JSON.stringify(a);
      case "tryget": // Bicep's `.?` safe access
        if (Array.isArray(a)) return a[Number(b)] ?? null;
        if (a && typeof a === "object" && !(a instanceof Unresolved))
          return (a as Record<string, Value>)[String(b)] ?? null;
        return null;
      case "coalesce": // Bicep's `??`
        return args.find((x) => x !== null && x !== undefined) ?? null;
      default:
        // Anything new (list*() above all: keys have no place here) fails loudly rather than guessing.
        throw new Error(`ARM function ${name}() is not supported by test/support/arm-template.ts.`);
    }
  }

  private childNamed(name: string): Deployment {
    const resource = this.template.resources.find(
      (r) => r.type === "Microsoft.Resources/deployments" && this.evaluate(r.name) === name,
    );
    if (!resource) throw new Error(`No module named ${name}.`);
    return this.child(resource, undefined);
  }

  private resourceId(args: string[]): string {
    const typeAt = args.findIndex((arg) => /^[A-Za-z.]+\/[A-Za-z/]+$/.test(arg));
    const [subscription, group] =
      typeAt === 2
        ? args
        : typeAt === 1
          ? [TEST_SUBSCRIPTION, args[0]]
          : [TEST_SUBSCRIPTION, this.resourceGroup];
    const prefix = group
      ? `/subscriptions/${subscription}/resourceGroups/${group}`
      : `/subscriptions/${subscription}`;
    return `${prefix}/providers/${qualify(args[typeAt]!, args.slice(typeAt + 1))}`;
  }
}

/** "Microsoft.X/a/b" + ["n1", "n2"] → "Microsoft.X/a/n1/b/n2", as resource ids interleave types and names. */
function qualify(type: string, names: string[]): string {
  const [namespace, ...types] = type.split("/");
  return [namespace, ...types.flatMap((t, i) => [t, names[i]])].join("/");
}

/** A deployed value as a test reads it: unresolved parts become their "<reference(…)…>" text. */
function settled(value: Value): unknown {
  if (value instanceof Unresolved) return value.toString();
  if (Array.isArray(value)) return value.map(settled);
  if (value && typeof value === "object")
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, settled(item)]));
  return value;
}

function text(value: Value): string {
  if (value instanceof Unresolved) return value.toString();
  return typeof value === "string" ? value : JSON.stringify(value);
}

function member(target: Value, key: Value): Value {
  if (target instanceof Unresolved) return new Unresolved(`${target.path}.${String(key)}`);
  if (target === null || typeof target !== "object")
    throw new Error(`Cannot read ${String(key)} of ${String(target)}.`);
  const value = (target as Record<string, Value>)[String(key)];
  if (value === undefined) throw new Error(`No property ${String(key)}.`);
  return value;
}

type Node =
  | { kind: "literal"; value: string | number }
  | { kind: "call"; name: string; args: Node[] }
  | { kind: "member"; target: Node; key: Node };

/** ARM's expression grammar: 'strings' ('' escapes a quote), numbers, fn(args), .property and [index]. */
class Parser {
  private at = 0;
  constructor(private readonly source: string) {}

  parse(): Node {
    const node = this.expression();
    this.space();
    if (this.at !== this.source.length) throw this.error("trailing input");
    return node;
  }

  private expression(): Node {
    let node = this.primary();
    for (;;) {
      this.space();
      const c = this.source[this.at];
      if (c === ".") {
        this.at++;
        node = { kind: "member", target: node, key: { kind: "literal", value: this.identifier() } };
      } else if (c === "[") {
        this.at++;
        const key = this.expression();
        this.expect("]");
        node = { kind: "member", target: node, key };
      } else return node;
    }
  }

  private primary(): Node {
    this.space();
    const c = this.source[this.at];
    if (c === "'") return { kind: "literal", value: this.string() };
    if (c !== undefined && /[-0-9]/.test(c)) {
      const match = this.match(/-?\d+/y)!;
      return { kind: "literal", value: Number(match) };
    }
    const name = this.identifier();
    this.expect("(");
    const args: Node[] = [];
    this.space();
    if (this.source[this.at] === ")") this.at++;
    else
      for (;;) {
        args.push(this.expression());
        this.space();
        if (this.source[this.at] === ",") this.at++;
        else {
          this.expect(")");
          break;
        }
      }
    return { kind: "call", name, args };
  }

  private string(): string {
    let out = "";
    this.at++;
    for (;;) {
      const quote = this.source.indexOf("'", this.at);
      if (quote < 0) throw this.error("unterminated string");
      out += this.source.slice(this.at, quote);
      this.at = quote + 1;
      if (this.source[this.at] !== "'") return out;
      out += "'";
      this.at++;
    }
  }

  private identifier(): string {
    const match = this.match(/[A-Za-z_$][A-Za-z0-9_$]*/y);
    if (!match) throw this.error("identifier expected");
    return match;
  }

  /** Matches a sticky pattern at the cursor and moves past it (no slicing: parsing stays linear). */
  private match(pattern: RegExp): string | undefined {
    pattern.lastIndex = this.at;
    const found = pattern.exec(this.source)?.[0];
    if (found !== undefined) this.at += found.length;
    return found;
  }

  private expect(char: string) {
    this.space();
    if (this.source[this.at] !== char) throw this.error(`'${char}' expected`);
    this.at++;
  }

  private space() {
    while (this.source[this.at] === " ") this.at++;
  }

  private error(reason: string) {
    return new Error(`ARM expression: ${reason} at ${this.at} in ${this.source}`);
  }
}
