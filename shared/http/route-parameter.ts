// One "{name:constraint(arg)?}" parameter of a route template, with the ASP.NET Core inline constraints it may carry.

export interface RouteParameter {
  name: string;
  catchAll: boolean;
  optional: boolean;
  defaultValue: string | undefined;
  /** True when every constraint accepts this (decoded) value. */
  accepts(value: string): boolean;
  /** A value every constraint accepts, for building a sample path; null when none of the candidates fits. */
  sampleValue(): string | null;
}

interface Constraint {
  test(value: string): boolean;
  /** A value this constraint is known to accept, tried first when sampling. */
  hint?: string;
}

const INT32 = { min: -(2n ** 31n), max: 2n ** 31n - 1n };
const INT64 = { min: -(2n ** 63n), max: 2n ** 63n - 1n };

/** .NET's int.TryParse / long.TryParse with NumberStyles.Integer: surrounding white space and a sign allowed. */
function parseInteger(value: string, range: { min: bigint; max: bigint }): bigint | null {
  const match = /^\s*([+-]?\d+)\s*$/.exec(value);
  if (!match) return null;
  const parsed = BigInt(match[1]!);
  return parsed < range.min || parsed > range.max ? null : parsed;
}

/** Guid.TryParse's formats N, D, B and P (X, the C-struct form, is left out: no route here needs it). */
const GUID =
  /^\s*([0-9a-f]{32}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|\{[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\}|\([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\))\s*$/i;

const SAMPLE_GUID = "3f2b8c1e-5d4a-4b6f-9e7d-1a2b3c4d5e6f";

function integerArgs(name: string, args: string | undefined, count: number[], template: string): bigint[] {
  const parts = args === undefined ? [] : args.split(",").map((arg) => parseInteger(arg, INT64));
  if (!count.includes(parts.length) || parts.some((part) => part === null))
    throw new Error(
      `Route template "${template}": constraint "${name}" needs ${count.join(" or ")} integer argument(s).`,
    );
  return parts as bigint[];
}

/** The constraints of Microsoft.AspNetCore.Routing's default inline constraint map that the devhost models. */
function constraintOf(name: string, args: string | undefined, template: string): Constraint {
  const noArgs = () => {
    if (args !== undefined)
      throw new Error(`Route template "${template}": constraint "${name}" takes no argument.`);
  };
  switch (name.toLowerCase()) {
    case "int":
      noArgs();
      return { test: (value) => parseInteger(value, INT32) !== null, hint: "42" };
    case "long":
      noArgs();
      return { test: (value) => parseInteger(value, INT64) !== null, hint: "42" };
    case "bool":
      noArgs();
      return { test: (value) => /^\s*(true|false)\s*$/i.test(value), hint: "true" };
    case "guid":
      noArgs();
      return { test: (value) => GUID.test(value), hint: SAMPLE_GUID };
    case "alpha":
      noArgs();
      return { test: (value) => /^[a-z]*$/i.test(value), hint: "sample" };
    case "required":
      noArgs();
      return { test: (value) => value !== "" };
    case "length": {
      const [min, max] = integerArgs(name, args, [1, 2], template);
      const upper = max ?? min!;
      return {
        test: (value) => value.length >= min! && value.length <= upper,
        hint: "a".repeat(Number(min)),
      };
    }
    case "minlength": {
      const [min] = integerArgs(name, args, [1], template);
      return { test: (value) => value.length >= min!, hint: "a".repeat(Math.max(1, Number(min))) };
    }
    case "maxlength": {
      const [max] = integerArgs(name, args, [1], template);
      return { test: (value) => value.length <= max!, hint: "a" };
    }
    case "min":
    case "max":
    case "range": {
      const bounds = integerArgs(name, args, name.toLowerCase() === "range" ? [2] : [1], template);
      const [low, high] =
        name.toLowerCase() === "min"
          ? [bounds[0]!, INT64.max]
          : name.toLowerCase() === "max"
            ? [INT64.min, bounds[0]!]
            : bounds;
      return {
        test: (value) => {
          const parsed = parseInteger(value, INT64);
          return parsed !== null && parsed >= low! && parsed <= high!;
        },
        hint: String(name.toLowerCase() === "max" ? high : low),
      };
    }
    case "regex": {
      if (args === undefined) throw new Error(`Route template "${template}": regex needs a pattern.`);
      // RegexRouteConstraint: RegexOptions.IgnoreCase | CultureInvariant, IsMatch (not anchored unless the pattern is).
      let pattern: RegExp;
      try {
        pattern = new RegExp(args, "i");
      } catch (error) {
        throw new Error(
          `Route template "${template}": regex(${args}) is not a valid pattern: ${String(error)}`,
        );
      }
      return { test: (value) => pattern.test(value) };
    }
    default:
      throw new Error(
        `Route template "${template}": constraint "${name}" is not modelled by the devhost (see docs/devhost.md).`,
      );
  }
}

/** Candidate sample values tried after the constraints' own hints: a plain word, a GUID, a number, a slug. */
const SAMPLE_CANDIDATES = ["sample", SAMPLE_GUID, "42", "sys-sample", "sample-1", "a"];

/** Splits "int:min(1)" / "regex(^a:b$)" into constraints; a ")" ends the arguments only before ":", "?", "=" or the end. */
function splitConstraints(text: string, template: string): { name: string; args?: string }[] {
  const constraints: { name: string; args?: string }[] = [];
  let rest = text;
  while (rest.length > 0) {
    const head = /^([A-Za-z]+)(\(|:|$)/.exec(rest);
    if (!head) throw new Error(`Route template "${template}": cannot read the constraint "${rest}".`);
    const name = head[1]!;
    if (head[2] === "(") {
      let close = -1;
      for (let index = name.length + 1; index < rest.length; index++) {
        if (rest[index] === ")" && (index === rest.length - 1 || rest[index + 1] === ":")) {
          close = index;
          break;
        }
      }
      if (close < 0)
        throw new Error(`Route template "${template}": constraint "${name}" has no closing ")".`);
      constraints.push({ name, args: rest.slice(name.length + 1, close) });
      rest = rest.slice(close + 1);
    } else {
      constraints.push({ name });
      rest = rest.slice(name.length);
    }
    if (rest.startsWith(":")) rest = rest.slice(1);
  }
  return constraints;
}

/** Parses the inside of "{…}" (escaped braces "{{" "}}" already in place). */
export function parseRouteParameter(inner: string, template: string): RouteParameter {
  let text = inner.replace(/\{\{/g, "{").replace(/\}\}/g, "}");
  const catchAll = text.startsWith("*");
  text = text.replace(/^\*\*?/, "");
  const nameMatch = /^[^:=?*/{}]+/.exec(text);
  if (!nameMatch) throw new Error(`Route template "${template}": a parameter has no name.`);
  const name = nameMatch[0];
  text = text.slice(name.length);
  let constraintText = "";
  if (text.startsWith(":")) {
    // The constraints run to a trailing "?" or to "=default" (a "=" inside a regex's parentheses stays in it).
    const tail = /(\?|=[^()]*)$/.exec(text);
    constraintText = tail ? text.slice(1, tail.index) : text.slice(1);
    text = tail ? tail[0] : "";
  }
  let optional = false;
  let defaultValue: string | undefined;
  if (text === "?") optional = true;
  else if (text.startsWith("=")) defaultValue = text.slice(1);
  else if (text !== "")
    throw new Error(`Route template "${template}": cannot read the parameter "{${inner}}".`);
  if (catchAll && optional)
    throw new Error(`Route template "${template}": a catch-all parameter cannot be marked optional.`);
  const constraints = splitConstraints(constraintText, template).map((c) =>
    constraintOf(c.name, c.args, template),
  );
  const accepts = (value: string) => constraints.every((constraint) => constraint.test(value));
  return {
    name,
    catchAll,
    optional,
    defaultValue,
    accepts,
    sampleValue: () =>
      [...constraints.flatMap((c) => (c.hint ? [c.hint] : [])), ...SAMPLE_CANDIDATES].find(accepts) ?? null,
  };
}
