// The envelope check at the bus boundary: what a subscriber accepts, and why it refuses the rest.
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { parseInboundEvent } from "../../../shared/events/inbound";

const data = z.object({ user_id: z.string() });
const valid = {
  specversion: "1.0",
  id: "3b0e3a4e-8a4e-4a8e-9a4e-3b0e3a4e8a4e",
  source: "/hub",
  type: "hub.iam.user_deactivated",
  time: "2025-05-01T10:00:00.000Z",
  datacontenttype: "application/json",
  orgid: "6f1c2d3e-0000-4000-8000-000000000001",
  data: { user_id: "u1", deactivated_by: "u2" },
};

describe("parseInboundEvent", () => {
  it("accepts a CloudEvent as an object or as JSON text", () => {
    expect(parseInboundEvent(valid, data)).toMatchObject({
      ok: true,
      event: { id: valid.id, data: { user_id: "u1" } },
    });
    expect(parseInboundEvent(JSON.stringify(valid), data).ok).toBe(true);
  });

  it("names what is wrong without echoing values", () => {
    const cases: [unknown, RegExp][] = [
      ["not json", /\(body\)/],
      [{ ...valid, specversion: "0.3" }, /specversion/],
      [{ ...valid, id: "a/b?c" }, /^id:/],
      [{ ...valid, orgid: undefined }, /orgid/],
      [{ ...valid, time: "yesterday" }, /time/],
      [{ ...valid, data: { user: "u1" } }, /data\.user_id/],
    ];
    for (const [body, reason] of cases) {
      const parsed = parseInboundEvent(body, data);
      expect(parsed.ok).toBe(false);
      if (!parsed.ok) {
        expect(parsed.reason).toMatch(reason);
        expect(parsed.reason).not.toContain("a/b?c");
      }
    }
  });
});
