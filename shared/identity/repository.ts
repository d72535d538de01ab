// Orgs, users and the global email and slug indexes in the `identity` container: every hot lookup is a point read.
import type { OperationInput } from "@azure/cosmos";
import { AppError, isAppError } from "../errors";
import type { CloudEvent } from "../events/cloud-event";
import { commitWithEvents } from "../events/outbox";
import type { WithEtag } from "../store/repository";
import { TenantRepository } from "../store/repository";
import type { OrgDoc, UserDoc } from "./model";
import { GLOBAL_PARTITION, emailIndexId, normalizeEmail, orgEmailIndexId, userDocId } from "./model";

/** `email:<digest>` in the global partition → where the user lives, so sign-in finds a user with one point read. */
export interface EmailIndexDoc {
  id: string;
  org_id: typeof GLOBAL_PARTITION;
  type: "email-index";
  user_id: string;
  user_org_id: string;
  created_at: string;
}

/** `org-email:<digest>` in the org's partition: one user per email within the org, written with the user. */
export interface OrgEmailIndexDoc {
  id: string;
  org_id: string;
  type: "org-email-index";
  user_id: string;
  created_at: string;
}

/** `slug:<slug>` in the global partition: org slugs are unique across Hub. */
export interface SlugIndexDoc {
  id: string;
  org_id: typeof GLOBAL_PARTITION;
  type: "slug-index";
  target_org_id: string;
  created_at: string;
}

/** A claim older than this whose target never appeared was left by a crash between claim and write. */
const DANGLING_CLAIM_MS = 60_000;

const orgs = new TenantRepository<OrgDoc>("identity");
const users = new TenantRepository<UserDoc>("identity");
const emailIndex = new TenantRepository<EmailIndexDoc>("identity");
const slugIndex = new TenantRepository<SlugIndexDoc>("identity");

export async function readOrg(orgId: string): Promise<WithEtag<OrgDoc> | null> {
  const doc = await orgs.read(orgId, "org");
  return doc?.type === "org" ? doc : null;
}

export async function readUser(orgId: string, userId: string): Promise<WithEtag<UserDoc> | null> {
  const doc = await users.read(orgId, userDocId(userId));
  return doc?.type === "user" ? doc : null;
}

/** Two point reads: the email index, then the user in its org's partition. */
export async function findUserByEmail(email: string): Promise<WithEtag<UserDoc> | null> {
  const index = await emailIndex.read(GLOBAL_PARTITION, emailIndexId(email));
  if (!index) return null;
  const user = await readUser(index.user_org_id, index.user_id);
  return user && normalizeEmail(user.email) === normalizeEmail(email) ? user : null;
}

/** Whether the email signs in to Hub as anyone but this user (one point read). */
export async function emailSignsInAsAnother(email: string, userId: string): Promise<boolean> {
  const index = await emailIndex.read(GLOBAL_PARTITION, emailIndexId(email));
  return index !== null && index.user_id !== userId;
}

/**
 * Reserves an email for Hub sign-in by a user; `resource.conflict` when another user has it. Claiming it again for
 * the same user succeeds (a retried acceptance).
 */
export async function claimEmail(email: string, userId: string, orgId: string, at: Date): Promise<void> {
  const doc: EmailIndexDoc = {
    id: emailIndexId(email),
    org_id: GLOBAL_PARTITION,
    type: "email-index",
    user_id: userId,
    user_org_id: orgId,
    created_at: at.toISOString(),
  };
  if (await emailIndex.createIfAbsent(doc)) return;
  const existing = await emailIndex.read(GLOBAL_PARTITION, doc.id);
  if (existing?.user_id === userId && existing.user_org_id === orgId) return;
  const stale =
    existing &&
    at.getTime() - Date.parse(existing.created_at) > DANGLING_CLAIM_MS &&
    !(await readUser(existing.user_org_id, existing.user_id));
  if (existing && stale) {
    await emailIndex.replace(doc, existing._etag);
    return;
  }
  throw new AppError("resource.conflict", "A user with this email already exists.");
}

export async function releaseEmail(email: string): Promise<void> {
  await emailIndex.delete(GLOBAL_PARTITION, emailIndexId(email));
}

/** Reserves an org slug; `resource.conflict` when it is taken. */
export async function claimSlug(slug: string, orgId: string, at: Date): Promise<void> {
  const doc: SlugIndexDoc = {
    id: `slug:${slug}`,
    org_id: GLOBAL_PARTITION,
    type: "slug-index",
    target_org_id: orgId,
    created_at: at.toISOString(),
  };
  if (await slugIndex.createIfAbsent(doc)) return;
  const existing = await slugIndex.read(GLOBAL_PARTITION, doc.id);
  if (
    existing &&
    at.getTime() - Date.parse(existing.created_at) > DANGLING_CLAIM_MS &&
    !(await readOrg(existing.target_org_id))
  ) {
    await slugIndex.replace(doc, existing._etag);
    return;
  }
  throw new AppError("resource.conflict", "An org with this slug already exists.");
}

export async function releaseSlug(slug: string): Promise<void> {
  await slugIndex.delete(GLOBAL_PARTITION, `slug:${slug}`);
}

/** The org's id for a slug (one point read), or null. */
export async function orgIdForSlug(slug: string): Promise<string | null> {
  return (await slugIndex.read(GLOBAL_PARTITION, `slug:${slug}`))?.target_org_id ?? null;
}

const duplicateEmail = () => new AppError("resource.conflict", "A user with this email already exists.");

/**
 * Adds a user and its events in the org's partition, with the org's email index entry in the same batch: a second
 * user with the same email in the org is `resource.conflict`. Only a user created with a password (an org's owner)
 * claims the email for Hub sign-in here; an invited user claims it when they accept (docs/identity.md), so
 * creating one answers the same whether or not the email signs in to another org.
 */
export async function createUser(
  user: UserDoc,
  events: CloudEvent[] = [],
  extra: OperationInput[] = [],
): Promise<void> {
  const signsIn = user.password_hash !== undefined;
  if (signsIn) await claimEmail(user.email, user.user_id, user.org_id, new Date(user.created_at));
  // Users created before the org index existed are found by the global one, when it points into this org.
  else if ((await emailIndex.read(GLOBAL_PARTITION, emailIndexId(user.email)))?.user_org_id === user.org_id)
    throw duplicateEmail();
  const orgIndex: OrgEmailIndexDoc = {
    id: orgEmailIndexId(user.email),
    org_id: user.org_id,
    type: "org-email-index",
    user_id: user.user_id,
    created_at: user.created_at,
  };
  try {
    await commitWithEvents(
      "identity",
      user.org_id,
      [
        ...extra,
        { operationType: "Create", resourceBody: { ...orgIndex } },
        { operationType: "Create", resourceBody: { ...user } },
      ],
      events,
    );
  } catch (error) {
    if (signsIn) await releaseEmail(user.email).catch(() => undefined);
    if (isAppError(error) && error.code === "resource.conflict") throw duplicateEmail();
    throw error;
  }
}
