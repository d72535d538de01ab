// Which strings can be a Cosmos document id (docs/api.md, "Ids"): the one rule the HTTP boundary and the store share.

/** Cosmos DB refuses these in an id (and `/`, `?`, `#` cannot survive a resource path); 255 is its length limit. */
const RESERVED = ["/", "\\", "?", "#"];
export const MAX_ID_LENGTH = 255;

/** True when `id` can name a stored document: 1–255 characters, none of `/ \ ? #`, no control character, not blank. */
export function isStorableId(id: unknown): id is string {
  if (typeof id !== "string" || id.length === 0 || id.length > MAX_ID_LENGTH || id.trim() === "")
    return false;
  for (let index = 0; index < id.length; index++) {
    const code = id.charCodeAt(index);
    if (code < 0x20 || code === 0x7f) return false;
  }
  return !RESERVED.some((character) => id.includes(character));
}

export const ID_RULE_MESSAGE =
  "must be 1–255 characters without / \\ ? # or control characters, and not blank";
