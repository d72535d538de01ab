// The Function App on Flex Consumption, running as the user-assigned identity, with every app setting of
// shared/config.ts (docs/configuration.md) and the identity-based connection settings the host and SDKs read.
param location string
param tags object
param name string
@description('Resource id and client id of the user-assigned identity the app runs as.')
param identityId string
param identityClientId string
param storageAccountName string
param deploymentContainerUrl string
param applicationInsightsConnectionString string
param cosmosEndpoint string
param cosmosDatabase string
param serviceBusNamespaceHost string
param busTopic string
param publicBaseUrl string
@secure()
param platformAdminToken string
@description('Base URLs of the product APIs: { psa, defend, portal, jarvis } (empty disables that product\'s actions).')
param productBaseUrls object
@secure()
@description('Signs approval decision links.')
param approvalLinkSecret string
@description('Products as OAuth clients of Hub: { <slug>: { redirectUris, origins } }.')
param productClients object
@secure()
@description('Each product\'s OAuth client secret: { <slug>: secret }.')
param productClientSecrets object
param hubCookieDomain string = ''
@description('Azure Communication Services endpoint, email sender and SMS number; an empty sender disables that channel.')
param acsEndpoint string
param acsEmailSender string
param acsSmsFrom string
@secure()
param integrationKeyPepper string
param keyVaultUrl string

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: 'plan-${name}'
  location: location
  tags: tags
  kind: 'functionapp'
  sku: { name: 'FC1', tier: 'FlexConsumption' }
  properties: { reserved: true }
}

resource site 'Microsoft.Web/sites@2024-04-01' = {
  name: name
  location: location
  // azd finds the app to deploy `api` (azure.yaml) to by this tag.
  tags: union(tags, { 'azd-service-name': 'api' })
  kind: 'functionapp,linux'
  identity: { type: 'UserAssigned', userAssignedIdentities: { '${identityId}': {} } }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: deploymentContainerUrl
          authentication: { type: 'UserAssignedIdentity', userAssignedIdentityResourceId: identityId }
        }
      }
      scaleAndConcurrency: { maximumInstanceCount: 100, instanceMemoryMB: 2048 }
      // Flex sets the worker runtime here; FUNCTIONS_WORKER_RUNTIME is not an app setting on this plan.
      runtime: { name: 'node', version: '22' }
    }
    siteConfig: {
      minTlsVersion: '1.2'
      appSettings: [
        // Host storage and the Durable task hub (blobs, queues, tables), by identity.
        { name: 'AzureWebJobsStorage__accountName', value: storageAccountName }
        { name: 'AzureWebJobsStorage__credential', value: 'managedidentity' }
        { name: 'AzureWebJobsStorage__clientId', value: identityClientId }
        { name: 'APPLICATIONINSIGHTS_CONNECTION_STRING', value: applicationInsightsConnectionString }
        { name: 'APPLICATIONINSIGHTS_AUTHENTICATION_STRING', value: 'ClientId=${identityClientId};Authorization=AAD' }
        // DefaultAzureCredential (Cosmos, Service Bus publisher, Key Vault, ACS) picks the user-assigned identity by this.
        { name: 'AZURE_CLIENT_ID', value: identityClientId }
        // The Service Bus trigger's identity-based connection.
        { name: 'ServiceBusConnection__fullyQualifiedNamespace', value: serviceBusNamespaceHost }
        { name: 'ServiceBusConnection__credential', value: 'managedidentity' }
        { name: 'ServiceBusConnection__clientId', value: identityClientId }
        // The app's own settings (shared/config.ts).
        { name: 'APP_ENV', value: 'production' }
        { name: 'PUBLIC_BASE_URL', value: publicBaseUrl }
        { name: 'COSMOS__accountEndpoint', value: cosmosEndpoint }
        { name: 'COSMOS_DATABASE', value: cosmosDatabase }
        { name: 'TASK_HUB_NAME', value: 'hubagents' }
        { name: 'BUS_TOPIC', value: busTopic }
        { name: 'PLATFORM_ADMIN_TOKEN', value: platformAdminToken }
        { name: 'PRODUCT_PSA_BASE_URL', value: productBaseUrls.psa }
        { name: 'PRODUCT_DEFEND_BASE_URL', value: productBaseUrls.defend }
        { name: 'PRODUCT_PORTAL_BASE_URL', value: productBaseUrls.portal }
        { name: 'PRODUCT_JARVIS_BASE_URL', value: productBaseUrls.jarvis }
        { name: 'APPROVAL_LINK_SECRET', value: approvalLinkSecret }
        { name: 'ACS_ENDPOINT', value: acsEndpoint }
        { name: 'ACS_EMAIL_SENDER', value: acsEmailSender }
        { name: 'ACS_SMS_FROM', value: acsSmsFrom }
        { name: 'INTEGRATION_KEY_PEPPER', value: integrationKeyPepper }
        { name: 'HUB_TOKEN_TTL_SECONDS', value: '600' }
        { name: 'HUB_LOGIN_FAILURES_PER_IP', value: '50' }
        { name: 'KEY_VAULT_URL', value: keyVaultUrl }
        { name: 'PRODUCT_PSA_REDIRECT_URIS', value: productClients.psa.redirectUris }
        { name: 'PRODUCT_PSA_ORIGINS', value: productClients.psa.origins }
        { name: 'PRODUCT_PSA_CLIENT_SECRET', value: productClientSecrets.?psa ?? '' }
        { name: 'PRODUCT_PORTAL_REDIRECT_URIS', value: productClients.portal.redirectUris }
        { name: 'PRODUCT_PORTAL_ORIGINS', value: productClients.portal.origins }
        { name: 'PRODUCT_PORTAL_CLIENT_SECRET', value: productClientSecrets.?portal ?? '' }
        { name: 'PRODUCT_AGENTS_REDIRECT_URIS', value: productClients.agents.redirectUris }
        { name: 'PRODUCT_AGENTS_ORIGINS', value: productClients.agents.origins }
        { name: 'PRODUCT_AGENTS_CLIENT_SECRET', value: productClientSecrets.?agents ?? '' }
        { name: 'PRODUCT_DEFEND_REDIRECT_URIS', value: productClients.defend.redirectUris }
        { name: 'PRODUCT_DEFEND_ORIGINS', value: productClients.defend.origins }
        { name: 'PRODUCT_DEFEND_CLIENT_SECRET', value: productClientSecrets.?defend ?? '' }
        { name: 'PRODUCT_JARVIS_REDIRECT_URIS', value: productClients.jarvis.redirectUris }
        { name: 'PRODUCT_JARVIS_ORIGINS', value: productClients.jarvis.origins }
        { name: 'PRODUCT_JARVIS_CLIENT_SECRET', value: productClientSecrets.?jarvis ?? '' }
        { name: 'HUB_COOKIE_DOMAIN', value: hubCookieDomain }
      ]
    }
  }
}

output name string = site.name
output defaultUrl string = 'https://${site.properties.defaultHostName}'
