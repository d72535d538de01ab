// The PSA agent record Hub wants: role from the org role, active only for an active user holding psa access.
import { describe, expect, it } from "vitest";
import type { UserDoc } from "../../../shared/identity/model";
import { desiredPsaRecord, samePsaRecord } from "../../../shared/psa/agent-record";

const user = (fields: Partial<UserDoc> = {}): UserDoc => ({
  id: "user:u1",
  org_id: "o1",
  type: "user",
  user_id: "u1",
  email: "a@example.com",
  firstName: "A",
  lastName: "B",
  orgRole: "member",
  status: "active",
  product_access: { psa: "tech" },
  created_at: "2025-01-01T00:00:00Z",
  updated_at: "2025-01-01T00:00:00Z",
  ...fields,
});

describe("desiredPsaRecord", () => {
  it("maps owner/admin → admin, member → agent, viewer → read_only", () => {
    const roles = (["owner", "admin", "member", "viewer"] as const).map(
      (orgRole) => desiredPsaRecord(user({ orgRole })).role,
    );
    expect(roles).toEqual(["admin", "admin", "agent", "read_only"]);
  });

  it("is the whole record, active only while the user is active and holds psa", () => {
    expect(desiredPsaRecord(user())).toEqual({
      portal_user_id: "u1",
      org_id: "o1",
      email: "a@example.com",
      firstName: "A",
      lastName: "B",
      role: "agent",
      active: true,
    });
    expect(desiredPsaRecord(user({ status: "deactivated" })).active).toBe(false);
    expect(desiredPsaRecord(user({ product_access: { agents: "admin" } })).active).toBe(false);
  });

  it("compares records field by field, whatever their key order", () => {
    const record = desiredPsaRecord(user());
    const { active, ...rest } = record;
    const reordered = { active, ...rest };
    expect(Object.keys(reordered)).not.toEqual(Object.keys(record));
    expect(samePsaRecord(record, reordered)).toBe(true);
    expect(samePsaRecord(record, { ...record, role: "admin" })).toBe(false);
  });
});
