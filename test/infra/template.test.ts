// infra/ follows the app: the compiled template deploys every setting, role, bus entity and container the code uses.
// It reads what `bicep build` produces (ARM JSON), expanded as ARM would deploy it (test/support/arm-template.ts).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { BUS_CONNECTION, sqlFilter, theOneBus } from "../../shared/bus/topology";
import { settingNames } from "../../shared/config";
import { CONTAINERS, PARTITION_KEY_PATH } from "../../shared/store/containers";
import type { DeployedResource } from "../support/arm-template";
import { expandTemplate, TEST_SUBSCRIPTION } from "../support/arm-template";
import { compileBicep } from "../support/bicep";

const compiled = compileBicep("infra/main.bicep");

/** Settings of shared/config.ts that are deliberately not app settings in Azure, and why. */
const LOCAL_ONLY: Record<string, string> = {
  FUNCTIONS_WORKER_RUNTIME: "Flex Consumption sets the runtime in functionAppConfig",
  AzureWebJobsStorage: "Azure uses AzureWebJobsStorage__accountName with the managed identity",
  COSMOS_KEY: "only for the local emulator; Azure uses the managed identity",
};

/** Settings that may legitimately deploy empty: the feature stays off until someone sets them. */
const MAY_BE_EMPTY = new Set([
  "PRODUCT_PSA_BASE_URL",
  "PRODUCT_DEFEND_BASE_URL",
  "PRODUCT_PORTAL_BASE_URL",
  "PRODUCT_JARVIS_BASE_URL",
  "ACS_SMS_FROM",
  // Hub SSO (docs/sso.md): an empty client setting means the product is not a client; an empty cookie domain
  // keeps the session cookie host-only.
  ...["PSA", "PORTAL", "AGENTS", "DEFEND", "JARVIS"].flatMap((slug) =>
    ["REDIRECT_URIS", "ORIGINS", "CLIENT_SECRET"].map((part) => `PRODUCT_${slug}_${part}`),
  ),
  "HUB_COOKIE_DOMAIN",
]);

/** Built-in role definition ids (learn.microsoft.com, "Azure built-in roles"), written here independently of infra/. */
const ROLE = {
  storageBlobDataOwner: "b7e6dc6d-f1e8-4753-8033-0f276bb0955b",
  storageQueueDataContributor: "974c5e8b-45b9-4653-ba55-5f855dd0fb88",
  storageTableDataContributor: "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3",
  serviceBusDataOwner: "090c5cfd-751d-490a-894a-3ce6f1109419",
  keyVaultSecretsOfficer: "b86a8fe4-44ce-4948-aee5-eccb2c155cd7",
  communicationAndEmailServiceOwner: "09976791-48a7-449e-bb21-39d1a415f350",
  monitoringMetricsPublisher: "3913510d-42f4-4e42-8a64-420c390055eb",
};
const COSMOS_DATA_CONTRIBUTOR = "00000000-0000-0000-0000-000000000002";

const parameters = {
  environmentName: "ci",
  location: "swedencentral",
  platformAdminToken: "p".repeat(40),
  integrationKeyPepper: "i".repeat(40),
  approvalLinkSecret: "a".repeat(40),
};

if ("missing" in compiled) {
  // The Bicep CLI comes from NuGet through the .NET SDK. A laptop with only Node skips these checks with the
  // reason in the test name; CI (CI set, and .ci/run restores the CLI first) must run them, so there it fails.
  describe(`infra template — needs the Bicep CLI: ${compiled.missing}`, () => {
    it.skipIf(!process.env.CI)("compiles infra/main.bicep", () => {
      throw new Error(compiled.missing);
    });
  });
} else {
  const { resources, outputs } = expandTemplate(compiled.template, parameters);
  const ofType = (type: string) => resources.filter((r) => r.type.toLowerCase() === type.toLowerCase());
  const one = (type: string): DeployedResource => {
    const found = ofType(type);
    expect(
      found.map((r) => r.name),
      type,
    ).toHaveLength(1);
    return found[0]!;
  };
  const lastSegment = (name: string) => name.split("/").at(-1)!;

  const site = one("Microsoft.Web/sites");
  const appSettings = new Map(
    (site.properties.siteConfig as { appSettings: { name: string; value: unknown }[] }).appSettings.map(
      (s) => [s.name, String(s.value)],
    ),
  );
  const identity = one("Microsoft.ManagedIdentity/userAssignedIdentities");
  const principalId = `<reference(${identity.id}).principalId>`;
  const clientId = `<reference(${identity.id}).clientId>`;

  describe("infra template (compiled with bicep, expanded as ARM deploys it)", () => {
    it("sets every app setting shared/config.ts reads, none empty unless it switches a feature off", () => {
      const missing = settingNames.filter((name) => !(name in LOCAL_ONLY) && !appSettings.has(name));
      expect(missing).toEqual([]);
      const empty = [...appSettings].filter(([name, value]) => value === "" && !MAY_BE_EMPTY.has(name));
      expect(empty).toEqual([]);
      expect(appSettings.get("APP_ENV")).toBe("production");
      expect(appSettings.get("PLATFORM_ADMIN_TOKEN")).toBe(parameters.platformAdminToken);
      expect(appSettings.get("APPROVAL_LINK_SECRET")).toBe(parameters.approvalLinkSecret);
    });

    it("runs the app as one user-assigned identity that every SDK and trigger connection uses", () => {
      expect(
        Object.keys((site.identity as { userAssignedIdentities: object }).userAssignedIdentities),
      ).toEqual([identity.id]);
      for (const name of ["AZURE_CLIENT_ID", "AzureWebJobsStorage__clientId", `${BUS_CONNECTION}__clientId`])
        expect(appSettings.get(name), name).toBe(clientId);
      expect(appSettings.get("AzureWebJobsStorage__credential")).toBe("managedidentity");
      expect(appSettings.get(`${BUS_CONNECTION}__credential`)).toBe("managedidentity");
      const deployment = (
        site.properties.functionAppConfig as { deployment: { storage: { authentication: object } } }
      ).deployment.storage.authentication;
      expect(deployment).toEqual({
        type: "UserAssignedIdentity",
        userAssignedIdentityResourceId: identity.id,
      });
    });

    /** The Azure RBAC roles granted to the app's identity on a resource, as role definition ids. */
    const rolesOn = (resource: DeployedResource) =>
      ofType("Microsoft.Authorization/roleAssignments")
        .filter((a) => a.scope === resource.id && a.properties.principalId === principalId)
        .map((a) => String(a.properties.roleDefinitionId))
        .sort();
    const role = (id: string) =>
      `/subscriptions/${TEST_SUBSCRIPTION}/providers/Microsoft.Authorization/roleDefinitions/${id}`;

    it("gives the identity a data-plane role on each service the code calls, the very one its settings name", () => {
      const storage = one("Microsoft.Storage/storageAccounts");
      expect(appSettings.get("AzureWebJobsStorage__accountName")).toBe(storage.name);
      // The host and the Durable task hub (Azure Storage provider) use blobs, queues and tables.
      expect(rolesOn(storage)).toEqual(
        [ROLE.storageBlobDataOwner, ROLE.storageQueueDataContributor, ROLE.storageTableDataContributor]
          .map(role)
          .sort(),
      );

      const bus = one("Microsoft.ServiceBus/namespaces");
      expect(appSettings.get(`${BUS_CONNECTION}__fullyQualifiedNamespace`)).toBe(
        `${bus.name}.servicebus.windows.net`,
      );
      expect(rolesOn(bus)).toEqual([role(ROLE.serviceBusDataOwner)]);

      const vault = one("Microsoft.KeyVault/vaults");
      expect(appSettings.get("KEY_VAULT_URL")).toBe(`<reference(${vault.id}).vaultUri>`);
      expect(vault.properties.enableRbacAuthorization).toBe(true);
      expect(rolesOn(vault)).toEqual([role(ROLE.keyVaultSecretsOfficer)]);

      const acs = one("Microsoft.Communication/communicationServices");
      expect(appSettings.get("ACS_ENDPOINT")).toBe(`https://<reference(${acs.id}).hostName>`);
      expect(rolesOn(acs)).toEqual([role(ROLE.communicationAndEmailServiceOwner)]);

      const insights = one("Microsoft.Insights/components");
      expect(appSettings.get("APPLICATIONINSIGHTS_CONNECTION_STRING")).toBe(
        `<reference(${insights.id}).ConnectionString>`,
      );
      expect(appSettings.get("APPLICATIONINSIGHTS_AUTHENTICATION_STRING")).toBe(
        `ClientId=${clientId};Authorization=AAD`,
      );
      expect(rolesOn(insights)).toEqual([role(ROLE.monitoringMetricsPublisher)]);

      // Cosmos DB data access is a Cosmos SQL role assignment, not Azure RBAC.
      const cosmos = one("Microsoft.DocumentDB/databaseAccounts");
      expect(appSettings.get("COSMOS__accountEndpoint")).toBe(`<reference(${cosmos.id}).documentEndpoint>`);
      const sqlRoles = ofType("Microsoft.DocumentDB/databaseAccounts/sqlRoleAssignments").map((a) => ({
        account: a.name.split("/")[0],
        principalId: a.properties.principalId,
        roleDefinitionId: a.properties.roleDefinitionId,
        scope: a.properties.scope,
      }));
      expect(sqlRoles).toEqual([
        {
          account: cosmos.name,
          principalId,
          roleDefinitionId: `${cosmos.id}/sqlRoleDefinitions/${COSMOS_DATA_CONTRIBUTOR}`,
          scope: cosmos.id,
        },
      ]);
    });

    it("sends email from the Azure-managed domain linked to the Communication Services resource", () => {
      const acs = one("Microsoft.Communication/communicationServices");
      const domain = one("Microsoft.Communication/emailServices/domains");
      expect(domain.properties.domainManagement).toBe("AzureManaged");
      expect(acs.properties.linkedDomains).toEqual([domain.id]);
      expect(appSettings.get("ACS_EMAIL_SENDER")).toBe(
        `DoNotReply@<reference(${domain.id}).mailFromSenderDomain>`,
      );
      // SMS needs a number bought in the resource; until then the setting is empty and SMS steps fail clearly.
      expect(appSettings.get("ACS_SMS_FROM")).toBe("");
      const withNumber = expandTemplate(compiled.template, { ...parameters, acsSmsFrom: "+15551234567" });
      const sms = withNumber.resources
        .filter((r) => r.type === "Microsoft.Web/sites")
        .flatMap(
          (r) => (r.properties.siteConfig as { appSettings: { name: string; value: unknown }[] }).appSettings,
        )
        .find((s) => s.name === "ACS_SMS_FROM");
      expect(sms?.value).toBe("+15551234567");
    });

    it("declares The One Bus: the BUS_TOPIC topic with the subscriptions and filters of shared/bus/topology.ts", () => {
      const topics = ofType("Microsoft.ServiceBus/namespaces/topics").map((t) => lastSegment(t.name));
      expect(topics).toEqual([appSettings.get("BUS_TOPIC")]);
      expect(theOneBus.topic).toBe("%BUS_TOPIC%");
      const subscriptions = ofType("Microsoft.ServiceBus/namespaces/topics/subscriptions").map((s) => s.name);
      const rules = ofType("Microsoft.ServiceBus/namespaces/topics/subscriptions/rules").map((rule) => ({
        subscription: rule.name.split("/")[2],
        rule: lastSegment(rule.name),
        filter: (rule.properties.sqlFilter as { sqlExpression: string }).sqlExpression,
      }));
      const expected = theOneBus.subscriptions.map((s) => ({
        subscription: s.name,
        // Replacing $Default (a TrueFilter): a rule beside it would let every message through.
        rule: "$Default",
        filter: sqlFilter(s.filter),
      }));
      expect(rules).toEqual(expected);
      expect(subscriptions.map((name) => name.split("/").slice(1).join("/"))).toEqual(
        theOneBus.subscriptions.map((s) => `${topics[0]}/${s.name}`),
      );
    });

    it("creates the containers of shared/store/containers.ts with their partition key and TTLs", () => {
      const database = one("Microsoft.DocumentDB/databaseAccounts/sqlDatabases");
      expect(appSettings.get("COSMOS_DATABASE")).toBe(lastSegment(database.name));
      const declared = Object.fromEntries(
        ofType("Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers").map((c) => {
          const resource = c.properties.resource as { id: string; partitionKey: object; defaultTtl?: number };
          expect(c.name).toBe(`${database.name}/${resource.id}`);
          return [resource.id, { partitionKey: resource.partitionKey, defaultTtl: resource.defaultTtl }];
        }),
      );
      const expected = Object.fromEntries(
        Object.entries(CONTAINERS).map(([name, spec]) => [
          name,
          {
            partitionKey: { paths: [PARTITION_KEY_PATH], kind: "Hash", version: 2 },
            defaultTtl: "defaultTtl" in spec ? spec.defaultTtl : undefined,
          },
        ]),
      );
      expect(declared).toEqual(expected);
    });

    it("turns off every key and connection string: identities only", () => {
      expect(JSON.stringify(compiled.template)).not.toMatch(/\blist[A-Za-z]*\(|AccountKey=|SharedAccessKey/);
      expect(one("Microsoft.DocumentDB/databaseAccounts").properties.disableLocalAuth).toBe(true);
      expect(one("Microsoft.ServiceBus/namespaces").properties.disableLocalAuth).toBe(true);
      expect(one("Microsoft.Storage/storageAccounts").properties.allowSharedKeyAccess).toBe(false);
      expect(one("Microsoft.Insights/components").properties.DisableLocalAuth).toBe(true);
    });

    it("keeps a Key Vault that `azd down --purge` then `azd up` can recreate under the same name", () => {
      const vault = one("Microsoft.KeyVault/vaults");
      // Purge protection would forbid the purge and block this environment's name for the retention period.
      expect(vault.properties.enablePurgeProtection).toBeUndefined();
      expect(vault.properties.softDeleteRetentionInDays).toBe(7);
      const again = expandTemplate(compiled.template, parameters).resources.find(
        (r) => r.type === "Microsoft.KeyVault/vaults",
      );
      expect(again?.name).toBe(vault.name);
    });

    it("tags the Function App as the azd service `api` of azure.yaml and reports its name", () => {
      const azureYaml = readFileSync(join(__dirname, "../../azure.yaml"), "utf8");
      expect(azureYaml).toMatch(/^services:\n {2}api:\n/m);
      expect((site.tags as Record<string, string>)["azd-service-name"]).toBe("api");
      expect(one("Microsoft.Web/serverfarms").sku).toEqual({ name: "FC1", tier: "FlexConsumption" });
      expect(outputs.AZURE_FUNCTION_APP_NAME).toBe(site.name);
    });
  });
}
