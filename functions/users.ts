// The IAM API (docs/identity.md): the org's users and their product access, for org owners and admins.
import { app } from "@azure/functions";
import type { Principal } from "../shared/auth/principal";
import { httpRoute, json } from "../shared/http/route";
import { grantAccess, revokeAccess } from "../shared/iam/access-service";
import { getUser, listUsers } from "../shared/iam/list-users";
import {
  accessParams,
  createUserSchema,
  grantSchema,
  listUsersQuery,
  updateUserSchema,
  userIdParams,
} from "../shared/iam/schemas";
import { createUser, deactivateUser, updateUser } from "../shared/iam/user-service";
import { ORG_ADMINS } from "../shared/iam/policies";
import { userListSchema, userResponse, userViewSchema } from "../shared/iam/user-views";

/** Every route has a credential (the pipeline refuses otherwise), so the principal is there. */
const who = (principal: Principal | null): Principal => principal!;

app.http(
  "listUsers",
  httpRoute({
    methods: ["GET"],
    route: "users",
    summary: "List the org's users",
    responses: { 200: { description: "A page of users", body: userListSchema } },
    auth: ORG_ADMINS,
    query: listUsersQuery,
    handler: async ({ principal, query }) =>
      json(200, await listUsers(who(principal), query), { "cache-control": "no-store" }),
  }),
);

app.http(
  "createUser",
  httpRoute({
    methods: ["POST"],
    route: "users",
    summary: "Invite a user to the org (they get an emailed link to set their password)",
    responses: { 201: { description: "The invited user (Location header)", body: userViewSchema } },
    errors: [409],
    auth: ORG_ADMINS,
    body: createUserSchema,
    handler: async ({ principal, body, log }) => {
      const user = await createUser(who(principal), body);
      log.info("user created", { target_user_id: user.user_id });
      return userResponse(201, user, { location: `/api/users/${user.user_id}` });
    },
  }),
);

app.http(
  "getUser",
  httpRoute({
    methods: ["GET"],
    route: "users/{id}",
    summary: "Get a user",
    responses: { 200: { description: "The user", body: userViewSchema } },
    errors: [404],
    auth: ORG_ADMINS,
    params: userIdParams,
    handler: async ({ principal, params }) =>
      json(200, await getUser(who(principal), params.id), { "cache-control": "no-store" }),
  }),
);

app.http(
  "updateUser",
  httpRoute({
    methods: ["PATCH"],
    route: "users/{id}",
    summary: "Rename a user or change their org role",
    responses: { 200: { description: "The user", body: userViewSchema } },
    errors: [403, 404, 409],
    auth: ORG_ADMINS,
    params: userIdParams,
    body: updateUserSchema,
    handler: async ({ principal, params, body }) =>
      userResponse(200, await updateUser(who(principal), params.id, body)),
  }),
);

app.http(
  "deactivateUser",
  httpRoute({
    methods: ["POST"],
    route: "users/{id}/deactivate",
    summary: "Deactivate a user (their sessions and tokens are revoked)",
    responses: { 200: { description: "The user", body: userViewSchema } },
    errors: [403, 404, 409],
    auth: ORG_ADMINS,
    params: userIdParams,
    handler: async ({ principal, params, log }) => {
      const user = await deactivateUser(who(principal), params.id);
      log.info("user deactivated", { target_user_id: user.user_id });
      return userResponse(200, user);
    },
  }),
);

app.http(
  "grantProductAccess",
  httpRoute({
    methods: ["PUT"],
    route: "users/{id}/access/{product}",
    summary: "Grant a product role to a user",
    responses: { 200: { description: "The user", body: userViewSchema } },
    errors: [404, 409],
    auth: ORG_ADMINS,
    params: accessParams,
    body: grantSchema,
    handler: async ({ principal, params, body }) =>
      userResponse(200, await grantAccess(who(principal), params.id, params.product, body.role)),
  }),
);

app.http(
  "revokeProductAccess",
  httpRoute({
    methods: ["DELETE"],
    route: "users/{id}/access/{product}",
    summary: "Revoke a user's access to a product",
    responses: { 200: { description: "The user", body: userViewSchema } },
    errors: [404, 409],
    auth: ORG_ADMINS,
    params: accessParams,
    handler: async ({ principal, params }) =>
      userResponse(200, await revokeAccess(who(principal), params.id, params.product)),
  }),
);
