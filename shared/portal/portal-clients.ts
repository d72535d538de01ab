// An org's Portal client organisations (docs/identity.md, "Portal client organisations"): link, list, unlink.
import { createHash } from "node:crypto";
import { z } from "zod";
import type { Principal } from "../auth/principal";
import { now } from "../clock";
import { AppError, isAppError } from "../errors";
import { newCloudEvent } from "../events/cloud-event";
import { commitWithEvents } from "../events/outbox";
import type { Page } from "../store/repository";
import { TenantRepository } from "../store/repository";

export const PORTAL_CLIENT_EVENT = {
  linked: "hub.iam.portal_client_linked",
  unlinked: "hub.iam.portal_client_unlinked",
} as const;

/** So a `portal` token stays a token: its `portalClients` claim lists at most this many ids. */
export const MAX_PORTAL_CLIENTS = 500;

export interface PortalClientDoc {
  id: string;
  org_id: string;
  type: "portal-client";
  portal_client_id: string;
  portal_org_id: string;
  name: string;
  linked_at: string;
  linked_by: string;
}

const portalClients = new TenantRepository<PortalClientDoc>("identity");

export const linkPortalClientSchema = z.object({
  name: z.string().trim().min(1).max(200),
  portal_org_id: z
    .string()
    .trim()
    .min(1)
    .max(128)
    .regex(/^[A-Za-z0-9._:-]+$/, "letters, digits and . _ : - only"),
});

export const portalClientParams = z.object({
  id: z.string().regex(/^[0-9a-f]{32}$/, "must be a portal client id"),
});

/** One client per Portal organisation and Hub org: the id derives from the Portal's own id, so a second link conflicts. */
const clientIdFor = (orgId: string, portalOrgId: string) =>
  createHash("sha256").update(`${orgId}\n${portalOrgId}`).digest("hex").slice(0, 32);

const docId = (clientId: string) => `portal-client:${clientId}`;

const view = (doc: PortalClientDoc) => ({
  id: doc.portal_client_id,
  name: doc.name,
  portal_org_id: doc.portal_org_id,
  linked_at: doc.linked_at,
  linked_by: doc.linked_by,
});

const actor = (principal: Principal) => principal.user_id ?? "unknown";

const LIST_QUERY =
  "SELECT * FROM c WHERE c.org_id = @org_id AND c.type = 'portal-client' ORDER BY c.linked_at";

export async function listPortalClients(
  principal: Principal,
  page: { limit: number; continuation?: string },
): Promise<Page<ReturnType<typeof view>>> {
  const result = await portalClients.query<PortalClientDoc>(principal.org_id, { query: LIST_QUERY }, page);
  return { items: result.items.map(view), continuation: result.continuation };
}

/** Every linked Portal organisation id of the org, for the `portalClients` claim of `portal` tokens. */
export async function portalOrgIdsOf(orgId: string): Promise<string[]> {
  const result = await portalClients.query<{ portal_org_id: string }>(
    orgId,
    { query: LIST_QUERY.replace("SELECT *", "SELECT c.portal_org_id") },
    { limit: MAX_PORTAL_CLIENTS },
  );
  return result.items.map((item) => item.portal_org_id);
}

async function countOf(orgId: string): Promise<number> {
  const result = await portalClients.query<number>(
    orgId,
    { query: "SELECT VALUE COUNT(1) FROM c WHERE c.org_id = @org_id AND c.type = 'portal-client'" },
    { limit: 1 },
  );
  return result.items[0] ?? 0;
}

/** Links a Portal organisation: the link and `portal_client_linked` commit together (the outbox). */
export async function linkPortalClient(principal: Principal, input: z.infer<typeof linkPortalClientSchema>) {
  if ((await countOf(principal.org_id)) >= MAX_PORTAL_CLIENTS)
    throw new AppError(
      "resource.conflict",
      `An organization links at most ${MAX_PORTAL_CLIENTS} Portal clients.`,
    );
  const clientId = clientIdFor(principal.org_id, input.portal_org_id);
  const doc: PortalClientDoc = {
    id: docId(clientId),
    org_id: principal.org_id,
    type: "portal-client",
    portal_client_id: clientId,
    portal_org_id: input.portal_org_id,
    name: input.name,
    linked_at: now().toISOString(),
    linked_by: actor(principal),
  };
  const event = newCloudEvent(
    {
      type: PORTAL_CLIENT_EVENT.linked,
      orgid: principal.org_id,
      subject: clientId,
      data: {
        portal_client_id: clientId,
        portal_org_id: doc.portal_org_id,
        name: doc.name,
        linked_by: doc.linked_by,
      },
    },
    now(),
  );
  try {
    await commitWithEvents(
      "identity",
      principal.org_id,
      [{ operationType: "Create", resourceBody: { ...doc } }],
      [event],
    );
  } catch (error) {
    if (isAppError(error) && error.code === "resource.conflict")
      throw new AppError("resource.conflict", "This Portal organization is already linked.");
    throw error;
  }
  return view(doc);
}

/** Unlinks: a client of another org is not found (404), like one that never existed. */
export async function unlinkPortalClient(principal: Principal, clientId: string): Promise<void> {
  const doc = await portalClients.read(principal.org_id, docId(clientId));
  if (doc?.type !== "portal-client") throw new AppError("resource.not_found", "No such Portal client.");
  const event = newCloudEvent(
    {
      type: PORTAL_CLIENT_EVENT.unlinked,
      orgid: principal.org_id,
      subject: clientId,
      data: { portal_client_id: clientId, portal_org_id: doc.portal_org_id, unlinked_by: actor(principal) },
    },
    now(),
  );
  // A concurrent unlink makes the Delete fail (404), so the event goes out once.
  await commitWithEvents("identity", principal.org_id, [{ operationType: "Delete", id: doc.id }], [event]);
}
