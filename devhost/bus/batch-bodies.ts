// A batch's bodies as the host binds them for a Node worker, by the trigger's dataType (docs/devhost.md).
import type { RpcTypedData } from "../core/types";
import type { Delivery } from "./message";
import { withJsonNetDates } from "./json-net-dates";
import { collectionString, json } from "./rpc-arrays";

/** A body as the extension's string converter reads it: text as sent, anything else as its JSON. */
const bodyText = (body: unknown): string => (typeof body === "string" ? body : (JSON.stringify(body) ?? ""));

/** The binding's `dataType`, which decides the trigger's parameter type (`object[]`, `string[]` or `byte[][]`). */
export type BatchDataType = "object" | "string" | "binary";

/** The host's GeneralScriptBindingProvider.ParseDataType: binary, stream, string, or object when absent. */
export function batchDataType(dataType: string | undefined, where: string): BatchDataType {
  const parsed = dataType?.toLowerCase();
  if (parsed === undefined) return "object";
  if (parsed === "string" || parsed === "binary") return parsed;
  throw new Error(`${where}: dataType "${dataType}" with cardinality "many" is not emulated by the devhost.`);
}

/** A batch the host could not bind: the invocation fails before the handler runs, and the batch is abandoned. */
export class BindingError extends Error {
  override readonly name = "BindingError";
}

/** JsonConvert's default MaxDepth since Json.NET 13, which the host uses. */
const JSON_NET_MAX_DEPTH = 64;

const unbindable = (triggerName: string, reason: string) =>
  new BindingError(
    `Exception binding parameter '${triggerName}'. Binding parameters to complex objects (such as 'Object') ` +
      `uses Json.NET serialization. The JSON parser failed: ${reason}`,
  );

/** How deeply arrays and objects nest in a parsed JSON value (0 for a scalar); iterative, linear in the value. */
function nesting(value: unknown): number {
  let deepest = 0;
  const pending: [unknown, number][] = [[value, 0]];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const [node, depth] = next;
    if (typeof node !== "object" || node === null) continue;
    deepest = Math.max(deepest, depth + 1);
    for (const child of Object.values(node)) pending.push([child, depth + 1]);
  }
  return deepest;
}

/**
 * The bodies as the worker receives them. Without a dataType the host asks for `object[]`: WebJobs'
 * PocoTriggerArgumentBinding deserializes each body with Json.NET (a body that is not JSON, or nests deeper than
 * its MaxDepth, fails the whole invocation; date strings come back as Json.NET writes them) and the host sends the
 * array as JSON. `string` gives a string collection (empty bodies left out),
 * `binary` a bytes collection.
 */
export function batchBodies(
  deliveries: Delivery[],
  triggerName: string,
  dataType: BatchDataType,
): RpcTypedData {
  const texts = deliveries.map((delivery) => bodyText(delivery.message.body));
  if (dataType === "string") return collectionString(texts);
  if (dataType === "binary")
    return { collectionBytes: { bytes: texts.map((text) => Buffer.from(text, "utf8")) } };
  const values = texts.map((text) => {
    if (text.trim() === "") return null; // Json.NET reads an empty body as null
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      throw unbindable(triggerName, (error as Error).message);
    }
    if (nesting(value) > JSON_NET_MAX_DEPTH)
      throw unbindable(triggerName, `The reader's MaxDepth of ${JSON_NET_MAX_DEPTH} has been exceeded.`);
    return withJsonNetDates(value);
  });
  return json(values);
}
