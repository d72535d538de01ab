// The store lookups behind every authenticated request, cached within the 5-second revocation budget.
import type { OrgDoc, UserDoc } from "../identity/model";
import { readOrg, readUser } from "../identity/repository";
import { AUTH_FRESHNESS_MS, FreshCache } from "./fresh-cache";
import type { TokenRecordDoc } from "./token-records";
import { readTokenRecord } from "./token-records";

const orgs = new FreshCache<string, OrgDoc | null>(AUTH_FRESHNESS_MS);
const users = new FreshCache<string, UserDoc | null>(AUTH_FRESHNESS_MS);
const tokens = new FreshCache<string, TokenRecordDoc | null>(AUTH_FRESHNESS_MS);

export const cachedOrg = (orgId: string): Promise<OrgDoc | null> => orgs.get(orgId, () => readOrg(orgId));

export const cachedUser = (orgId: string, userId: string): Promise<UserDoc | null> =>
  users.get(`${orgId}/${userId}`, () => readUser(orgId, userId));

export const cachedTokenRecord = (orgId: string, jti: string): Promise<TokenRecordDoc | null> =>
  tokens.get(`${orgId}/${jti}`, () => readTokenRecord(orgId, jti));

/** Changes made by this process take effect here at once (other instances within the freshness window). */
export const forgetOrg = (orgId: string): void => orgs.forget(orgId);
export const forgetUser = (orgId: string, userId: string): void => users.forget(`${orgId}/${userId}`);
export const forgetTokenRecord = (orgId: string, jti: string): void => tokens.forget(`${orgId}/${jti}`);
