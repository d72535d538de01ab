// What Json.NET's read and write do to date strings in a body the host binds as `object` (docs/devhost.md).

/**
 * The ISO form DateTimeParser accepts (Newtonsoft.Json Utilities/DateTimeParser.cs): a date, `T`, a time with up
 * to 7 fraction digits, then `Z`, `±hh`, `±hh:mm` or `±hhmm`, or no zone.
 */
const ISO_DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,7}))?(?:([Zz])|([+-])(\d{2})(?::?(\d{2}))?)?$/;

const TICKS_PER_SECOND = 10_000_000;

/**
 * The text a date string comes out as after JsonTextReader read it as a DateTime (DateParseHandling.DateTime,
 * DateTimeZoneHandling.RoundtripKind, the defaults) and JsonConvert wrote it back (DateTimeUtils.WriteDateTimeString):
 * trailing fraction zeros dropped; `Z` kept; an offset converted to the machine's local time, which is UTC on
 * Azure Functions, so written `+00:00`; no zone, no zone. Undefined when Json.NET would not read it as a date.
 */
export function jsonNetDateText(text: string): string | undefined {
  const parts = ISO_DATE_TIME.exec(text);
  if (!parts) return undefined;
  const [year, month, day, hour, minute, second] = parts.slice(1, 7).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const fraction = Number((parts[7] ?? "").padEnd(7, "0"));
  const valid =
    year >= 1 &&
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    day <= daysIn(year, month) &&
    hour <= 24 &&
    minute < 60 &&
    second < 60 &&
    (hour !== 24 || (minute === 0 && second === 0 && fraction === 0));
  if (!valid) return undefined;
  const [utc, sign, zoneHours, zoneMinutes] = parts.slice(8);
  const offsetSeconds = sign
    ? (sign === "-" ? -1 : 1) * (Number(zoneHours) * 3600 + Number(zoneMinutes ?? 0) * 60)
    : 0;
  const at = new Date(0);
  at.setUTCFullYear(year, month - 1, day); // not Date.UTC, which reads years below 100 as 19xx
  at.setUTCHours(hour, minute, second - offsetSeconds, 0);
  const zone = utc ? "Z" : sign ? "+00:00" : "";
  return at.toISOString().slice(0, 19) + fractionText(fraction) + zone;
}

function daysIn(year: number, month: number): number {
  const lastDay = new Date(0);
  lastDay.setUTCFullYear(year, month, 0);
  return lastDay.getUTCDate();
}

/** WriteDefaultIsoDate: the 100 ns ticks of the second, without trailing zeros, or nothing when zero. */
function fractionText(ticks: number): string {
  if (ticks === 0) return "";
  return `.${String(ticks % TICKS_PER_SECOND)
    .padStart(7, "0")
    .replace(/0+$/, "")}`;
}

/** The parsed body with every string value Json.NET reads as a date rewritten as it writes it; iterative, linear. */
export function withJsonNetDates(value: unknown): unknown {
  const rewrite = (node: unknown): unknown =>
    typeof node === "string" ? (jsonNetDateText(node) ?? node) : node;
  const root = { value };
  const pending: unknown[] = [root];
  for (let node = pending.pop(); node !== undefined; node = pending.pop()) {
    if (typeof node !== "object" || node === null) continue;
    const container = node as Record<string, unknown>;
    for (const key of Object.keys(container)) {
      container[key] = rewrite(container[key]);
      pending.push(container[key]);
    }
  }
  return root.value;
}
