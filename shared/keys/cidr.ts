// Where a key may be used from (docs/auth.md, "Integration keys"): CIDR blocks, IPv4 and IPv6, checked with BlockList.
import { BlockList, isIP } from "node:net";

export interface Cidr {
  address: string;
  prefix: number;
  family: "ipv4" | "ipv6";
}

/** `10.0.0.0/8`, `2001:db8::/32`, or a bare address (one host); null when it is none of these. Linear. */
export function parseCidr(text: string): Cidr | null {
  if (text.length > 64) return null;
  const slash = text.indexOf("/");
  const address = slash === -1 ? text : text.slice(0, slash);
  const version = isIP(address);
  if (version === 0) return null;
  const max = version === 4 ? 32 : 128;
  const prefixText = slash === -1 ? String(max) : text.slice(slash + 1);
  if (!/^\d{1,3}$/.test(prefixText)) return null;
  const prefix = Number(prefixText);
  if (prefix > max) return null;
  return { address, prefix, family: version === 4 ? "ipv4" : "ipv6" };
}

const lists = new Map<string, BlockList>();

function blockListOf(cidrs: readonly string[]): BlockList {
  const cacheKey = cidrs.join(",");
  let list = lists.get(cacheKey);
  if (!list) {
    list = new BlockList();
    for (const text of cidrs) {
      const cidr = parseCidr(text);
      if (cidr) list.addSubnet(cidr.address, cidr.prefix, cidr.family);
    }
    if (lists.size >= 1_000) lists.clear();
    lists.set(cacheKey, list);
  }
  return list;
}

/** Whether `ip` lies in one of the blocks; an unknown address (no front end header) is never inside. */
export function addressAllowed(cidrs: readonly string[], ip: string | null): boolean {
  if (!ip) return false;
  const version = isIP(ip);
  if (version === 0) return false;
  return blockListOf(cidrs).check(ip, version === 4 ? "ipv4" : "ipv6");
}
