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

/**
 * Replaces the value of every secret-named field, at any depth, as JSON.stringify walks the line: one pass and no
 * copy of the fields (this runs for every request).
 */
const redactSecrets = (field: string, value: unknown): unknown =>
  field !== "" && SECRET_FIELD.test(field) ? "[redacted]" : value;

const redactedJson = (value: unknown): string => JSON.stringify(value, redactSecrets);

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
    const line = redactedJson({ level, message, ...this.fields, ...fields });
    this.sink[level](line);
  }
}

export const consoleLogger = (fields: LogFields = {}): Logger => new Logger(console, fields);
