// Structured JSON log lines, with secrets removed before anything is written.

export type LogLevel = "debug" | "info" | "warn" | "error";
export type LogFields = Record<string, unknown>;

/** Where lines go: an InvocationContext in a function, the console outside one. */
export interface LogSink {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/** Field names whose values are never written, whatever their nesting. */
const SECRET_FIELD =
  /pass(word)?|secret|token|cookie|authorization|session_id|^key$|api_?key|integration_key|pepper/i;

export function redact(value: unknown, depth = 0): unknown {
  if (depth > 6 || value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map((item) => redact(item, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [field, inner] of Object.entries(value)) {
    out[field] = SECRET_FIELD.test(field) ? "[redacted]" : redact(inner, depth + 1);
  }
  return out;
}

export class Logger {
  constructor(
    private readonly sink: LogSink,
    private readonly fields: LogFields = {},
  ) {}

  /** A logger that adds fields (request_id, org_id, key_id…) to every line. */
  with(fields: LogFields): Logger {
    return new Logger(this.sink, { ...this.fields, ...fields });
  }

  debug(message: string, fields?: LogFields): void {
    this.write("debug", message, fields);
  }
  info(message: string, fields?: LogFields): void {
    this.write("info", message, fields);
  }
  warn(message: string, fields?: LogFields): void {
    this.write("warn", message, fields);
  }
  error(message: string, fields?: LogFields): void {
    this.write("error", message, fields);
  }

  private write(level: LogLevel, message: string, fields?: LogFields): void {
    const line = JSON.stringify(redact({ level, message, ...this.fields, ...fields }));
    this.sink[level](line);
  }
}

export const consoleLogger = (fields: LogFields = {}): Logger => new Logger(console, fields);
