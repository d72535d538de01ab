// Azure Functions route templates ("agents/{id}", "{*path}", "items/{n:int?}") compiled to matchers.

export interface RouteTemplate {
  template: string;
  /** Higher wins when two templates match: literal segments beat parameters beat catch-alls. */
  precedence: number;
  match(path: string): Record<string, string> | null;
}

const PARAM = /^\{(\*)?([A-Za-z_][A-Za-z0-9_]*)(?::([a-z]+))?(\?)?\}$/;

const CONSTRAINTS: Record<string, RegExp> = {
  int: /^-?\d+$/,
  guid: /^[0-9a-fA-F]{8}-?([0-9a-fA-F]{4}-?){3}[0-9a-fA-F]{12}$/,
  alpha: /^[A-Za-z]+$/,
  bool: /^(true|false)$/i,
};

interface Segment {
  literal?: string;
  param?: string;
  catchAll?: boolean;
  optional?: boolean;
  constraint?: RegExp;
}

function parseSegment(raw: string): Segment {
  const param = PARAM.exec(raw);
  if (!param) return { literal: raw.toLowerCase() };
  const [, star, name, constraint, optional] = param;
  return {
    param: name,
    catchAll: star === "*",
    optional: optional === "?" || star === "*",
    constraint: constraint ? CONSTRAINTS[constraint] : undefined,
  };
}

export function compileRouteTemplate(template: string): RouteTemplate {
  const segments = template.split("/").filter(Boolean).map(parseSegment);
  const precedence = segments.reduce(
    (score, segment) => score + (segment.literal !== undefined ? 3 : segment.catchAll ? 0 : 2),
    segments.some((s) => s.catchAll) ? 0 : 1000,
  );

  function match(path: string): Record<string, string> | null {
    const parts = path.split("/").filter(Boolean);
    const params: Record<string, string> = {};
    for (let index = 0; index < segments.length; index++) {
      const segment = segments[index]!;
      if (segment.catchAll) {
        params[segment.param!] = parts.slice(index).map(decode).join("/");
        return params;
      }
      const part = parts[index];
      if (part === undefined) {
        if (segment.optional) continue;
        return null;
      }
      if (segment.literal !== undefined) {
        if (decode(part).toLowerCase() !== segment.literal) return null;
        continue;
      }
      const value = decode(part);
      if (segment.constraint && !segment.constraint.test(value)) return null;
      params[segment.param!] = value;
    }
    return parts.length > segments.length ? null : params;
  }

  return { template, precedence, match };
}

function decode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}
