// The `durableClient` input binding's data, as the Durable extension gives it to the worker.
import { readFileSync } from "node:fs";
import { join } from "node:path";

/** Where the devhost answers the Durable HTTP API: the path the real host serves its webhooks on. */
export const WEBHOOK_PATH = "/runtime/webhooks/durabletask";

/** host.json's extensions.durableTask.hubName, with %SETTING% resolved as the host does. */
export function taskHubName(appRoot: string): string {
  const host = JSON.parse(readFileSync(join(appRoot, "host.json"), "utf8")) as {
    extensions?: { durableTask?: { hubName?: string } };
  };
  const configured = host.extensions?.durableTask?.hubName ?? "TestHubName";
  return configured.replace(/%([^%]+)%/g, (_match, setting: string) => process.env[setting] ?? "");
}

/**
 * OrchestrationClientInputData.js. The library validates taskHubName, creationUrls and managementUrls and calls
 * the HTTP API at rpcBaseUrl; creationUrls/managementUrls only build the links of createCheckStatusResponse and
 * createHttpManagementPayload. No `code` query parameter: the devhost has no system key.
 */
export function durableClientData(baseUrl: string, hubName: string): Record<string, unknown> {
  const webhooks = `${baseUrl}${WEBHOOK_PATH}`;
  const query = `taskHub=${encodeURIComponent(hubName)}&connection=Storage`;
  const instance = `${webhooks}/instances/INSTANCEID`;
  return {
    taskHubName: hubName,
    creationUrls: {
      createNewInstancePostUri: `${webhooks}/orchestrators/{functionName}[/{instanceId}]?${query}`,
      createAndWaitOnNewInstancePostUri: `${webhooks}/orchestrators/{functionName}[/{instanceId}]?timeout={timeoutInSeconds}&pollingInterval={intervalInSeconds}&${query}`,
    },
    managementUrls: {
      id: "INSTANCEID",
      statusQueryGetUri: `${instance}?${query}`,
      sendEventPostUri: `${instance}/raiseEvent/{eventName}?${query}`,
      terminatePostUri: `${instance}/terminate?reason={text}&${query}`,
      rewindPostUri: `${instance}/rewind?reason={text}&${query}`,
      purgeHistoryDeleteUri: `${instance}?${query}`,
      restartPostUri: `${instance}/restart?${query}`,
      suspendPostUri: `${instance}/suspend?reason={text}&${query}`,
      resumePostUri: `${instance}/resume?reason={text}&${query}`,
    },
    baseUrl: webhooks,
    requiredQueryStringParameters: query,
    rpcBaseUrl: `${webhooks}/`,
  };
}
