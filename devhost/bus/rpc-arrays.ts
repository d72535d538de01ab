// Arrays as the host sends them to a Node worker (GrpcMessageConversionExtensions.ToRpc), for batch invocations.
import type { RpcTypedData } from "../core/types";

/**
 * A `string[]` as the host sends it (GrpcMessageConversionExtensions.ToRpcStringArray): a collection of strings
 * in which null and empty entries are left out, because the Node worker does not declare the
 * IncludeEmptyEntriesInMessagePayload capability. So an array of a field some messages lack is shorter than the
 * batch and its indexes no longer line up with the messages'.
 */
export function collectionString(values: (string | undefined)[]): RpcTypedData {
  return { collectionString: { string: values.filter((value): value is string => !!value) } };
}

/** `int[]`, `DateTime[]` and dictionaries have no collection type: the host sends them as JSON. */
export const json = (values: unknown[]): RpcTypedData => ({ json: JSON.stringify(values) });
