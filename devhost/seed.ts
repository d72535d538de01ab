// The demo org and its owner that `npm start` provides (docs/devhost.md): created once, found again on every later start.
import { passwordProblems } from "../shared/auth/password-policy";
import { AppError } from "../shared/errors";
import { createOrg } from "../shared/identity/create-org";
import { KNOWN_PRODUCTS } from "../shared/identity/model";
import { findUserByEmail, orgIdForSlug } from "../shared/identity/repository";
import type { DevHostExtension } from "./extension";

export const DEMO_SLUG = "demo";
export const DEFAULT_SEED_OWNER_EMAIL = "owner@demo.example.com";
export const DEFAULT_SEED_OWNER_PASSWORD = "sunrise-over-the-hub";

export interface SeedHandle {
  orgId: string;
  slug: string;
  ownerEmail: string;
  /** The password the owner was seeded with (it is a local development default, printed on purpose). */
  ownerPassword: string;
  /** False when the org already existed (e.g. a persistent Cosmos): nothing was changed. */
  created: boolean;
}

/** HUB_SEED_OWNER_EMAIL and HUB_SEED_OWNER_PASSWORD are devhost settings: the app itself never reads them. */
export function seedExtension(): DevHostExtension<SeedHandle> {
  return {
    name: "seed",
    async start() {
      const ownerEmail = process.env.HUB_SEED_OWNER_EMAIL || DEFAULT_SEED_OWNER_EMAIL;
      const ownerPassword = process.env.HUB_SEED_OWNER_PASSWORD || DEFAULT_SEED_OWNER_PASSWORD;
      const existing = await orgIdForSlug(DEMO_SLUG);
      if (existing) return { orgId: existing, slug: DEMO_SLUG, ownerEmail, ownerPassword, created: false };
      // The seed meets the same password rules as everyone; say which one a chosen password breaks.
      const problems = await passwordProblems(ownerPassword, ownerEmail);
      if (problems.length > 0)
        throw new Error(`HUB_SEED_OWNER_PASSWORD ${problems.join("; ")} (docs/auth.md, "Password rules").`);
      try {
        const { org } = await createOrg({
          slug: DEMO_SLUG,
          name: "Demo Org",
          entitlements: [...KNOWN_PRODUCTS, "ai:pro"],
          owner: { email: ownerEmail, firstName: "Demo", lastName: "Owner", password: ownerPassword },
        });
        return { orgId: org.id, slug: DEMO_SLUG, ownerEmail, ownerPassword, created: true };
      } catch (error) {
        // Two starts racing on one persistent store: the other one seeded it.
        const raced = error instanceof AppError && error.code === "resource.conflict";
        const orgId = raced ? await orgIdForSlug(DEMO_SLUG) : null;
        if (orgId && (await findUserByEmail(ownerEmail)))
          return { orgId, slug: DEMO_SLUG, ownerEmail, ownerPassword, created: false };
        throw error;
      }
    },
  };
}
