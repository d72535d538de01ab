// The caller's IP address as the platform's front end saw it (docs/auth.md, "Client address"): one helper for all.
import type { HttpRequest } from "@azure/functions";
import { isIP } from "node:net";

/**
 * App Service (and so Azure Functions) front ends set `client-ip` to the address of the connection they accepted,
 * as `address:port`, overwriting whatever the caller sent; `X-Forwarded-For` keeps the caller's own entries
 * first and gets the front end's view appended last. So `client-ip` is the one value a caller cannot choose.
 * Behind another proxy (Front Door, Application Gateway) it is that proxy's address: change this helper, and
 * only this one, to trust that proxy's header once requests are restricted to it.
 */
export const CLIENT_IP_HEADER = "client-ip";

/** The address in `1.2.3.4:5678`, `[::1]:5678`, `::1` or `1.2.3.4`, or null when it is not an IP address. */
export function parseClientAddress(value: string): string | null {
  const text = value.trim();
  let address = text;
  if (text.startsWith("[")) address = text.slice(1, text.indexOf("]") === -1 ? 1 : text.indexOf("]"));
  else if (text.indexOf(":") !== -1 && text.indexOf(":") === text.lastIndexOf(":"))
    address = text.slice(0, text.indexOf(":"));
  if (address.toLowerCase().startsWith("::ffff:") && isIP(address.slice(7)) === 4) address = address.slice(7);
  return isIP(address) ? address : null;
}

/** The caller's address, or null when the request did not come through a front end that sets it. */
export function clientIp(request: Pick<HttpRequest, "headers">): string | null {
  const value = request.headers.get(CLIENT_IP_HEADER);
  return value ? parseClientAddress(value.slice(0, 100)) : null;
}

/** The caller's user agent for sign-in events, bounded. */
export const userAgentOf = (request: Pick<HttpRequest, "headers">): string | null =>
  request.headers.get("user-agent")?.slice(0, 512) ?? null;
