// The escalation flag of permission_changed and the rules that keep owners in owners' hands.
import { describe, expect, it } from "vitest";
import type { OrgRole } from "../../../shared/auth/principal";
import type { Permissions } from "../../../shared/iam/permissions";
import {
  assertMayAssign,
  assertMayManage,
  isEscalation,
  samePermissions,
} from "../../../shared/iam/permissions";
import { fc, propertyTest } from "../../support/property";

const ROLES: OrgRole[] = ["viewer", "member", "admin", "owner"];
const perms = (orgRole: OrgRole, product_access: Record<string, string> = {}): Permissions => ({
  orgRole,
  product_access,
});

const permissionsArb = fc.record({
  orgRole: fc.constantFrom(...ROLES),
  product_access: fc.dictionary(
    fc.constantFrom("psa", "agents", "defend"),
    fc.constantFrom("admin", "technician", "agent", "analyst"),
  ),
});

describe("isEscalation", () => {
  it("is true exactly when the org role climbs the ladder viewer → member → admin → owner", () => {
    for (const [i, from] of ROLES.entries()) {
      for (const [j, to] of ROLES.entries()) {
        expect(isEscalation(perms(from), perms(to)), `${from} → ${to}`).toBe(j > i);
      }
    }
  });

  it("is true when a product role is gained, false when one is lost", () => {
    expect(isEscalation(perms("member"), perms("member", { psa: "agent" }))).toBe(true);
    expect(isEscalation(perms("member", { psa: "agent" }), perms("member"))).toBe(false);
  });

  it("ranks the Agents roles it knows and counts any other role change as a gain", () => {
    const agents = (role: string) => perms("member", { agents: role });
    expect(isEscalation(agents("technician"), agents("admin"))).toBe(true);
    expect(isEscalation(agents("admin"), agents("technician"))).toBe(false);
    expect(isEscalation(perms("member", { defend: "analyst" }), perms("member", { defend: "viewer" }))).toBe(
      true,
    );
  });

  it("a demotion with a product gained is still an escalation", () => {
    expect(isEscalation(perms("admin"), perms("member", { agents: "technician" }))).toBe(true);
  });

  propertyTest.prop([permissionsArb])("nothing changed is never an escalation", (p) => {
    expect(isEscalation(p, p)).toBe(false);
    expect(samePermissions(p, { ...p, product_access: { ...p.product_access } })).toBe(true);
  });

  propertyTest.prop([permissionsArb, permissionsArb])(
    "when rights only shrink (role not higher, no product added or changed) it is false",
    (before, after) => {
      const shrunk: Permissions = {
        orgRole:
          ROLES.indexOf(after.orgRole) <= ROLES.indexOf(before.orgRole) ? after.orgRole : before.orgRole,
        product_access: Object.fromEntries(
          Object.entries(before.product_access).filter(([product]) => product in after.product_access),
        ),
      };
      expect(isEscalation(before, shrunk)).toBe(false);
    },
  );
});

describe("owner rules", () => {
  it("only an owner may make an owner or change one", () => {
    expect(() => assertMayAssign("admin", "owner")).toThrow(/Only an owner/);
    expect(() => assertMayAssign("admin", "admin")).not.toThrow();
    expect(() => assertMayAssign("owner", "owner")).not.toThrow();
    expect(() => assertMayManage("admin", { orgRole: "owner" })).toThrow(/Only an owner/);
    expect(() => assertMayManage("admin", { orgRole: "admin" })).not.toThrow();
    expect(() => assertMayManage("owner", { orgRole: "owner" })).not.toThrow();
  });
});
