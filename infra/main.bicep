// Everything Hub & Agents needs in Azure, for `azd up` (docs/deploy.md): a resource group holding the Function App
// (Flex Consumption) and its user-assigned identity, storage, Cosmos DB, Service Bus, Application Insights, Key Vault
// (token signing keys) and Azure Communication Services (email and SMS). Identity-based access everywhere: role
// assignments, no connection strings or keys.
targetScope = 'subscription'

@minLength(1)
@maxLength(40)
@description('Name of the azd environment (e.g. dev, prod); names the resource group and seeds every resource name.')
param environmentName string

@minLength(1)
@description('Azure region of the resource group and every regional resource (one that offers Flex Consumption).')
@metadata({ azd: { type: 'location' } })
param location string

@description('Resource group name; empty: rg-<environmentName>.')
param resourceGroupName string = ''

@description('Public base URL of the app (decision links); empty: the Function App host name.')
param publicBaseUrl string = ''

@secure()
@minLength(32)
@description('Bearer token of the platform operator (POST /api/orgs).')
param platformAdminToken string

@secure()
@minLength(32)
@description('Server pepper for integration key hashes (HMAC-SHA-256); changing it invalidates every key.')
param integrationKeyPepper string

@secure()
@minLength(32)
@description('Signs approval decision links; rotating it kills every open link.')
param approvalLinkSecret string

@description('Base URL of each product API; empty disables that product\'s actions.')
param productPsaBaseUrl string = ''
param productDefendBaseUrl string = ''
param productPortalBaseUrl string = ''
param productJarvisBaseUrl string = ''

@description('Where Azure Communication Services keeps its data at rest (a geography: United States, Europe, UK…).')
param acsDataLocation string = 'United States'

@description('Sender address for email; empty: DoNotReply@ the Azure-managed domain this template creates.')
param acsEmailSender string = ''

@description('Phone number (E.164) bought in the Communication Services resource for SMS; empty disables SMS.')
param acsSmsFrom string = ''

@description('Products as OAuth clients of Hub (docs/sso.md): { psa: { redirectUris, origins }, … }, comma-separated lists.')
param productClients object = {
  psa: { redirectUris: '', origins: '' }
  portal: { redirectUris: '', origins: '' }
  agents: { redirectUris: '', origins: '' }
  defend: { redirectUris: '', origins: '' }
  jarvis: { redirectUris: '', origins: '' }
}

@secure()
@description('Each product\'s client secret for back-channel calls: { psa, portal, agents, defend, jarvis } (empty: none).')
param productClientSecrets object = {}

@description('Share the session cookie with sibling subdomains (e.g. theonestack.com); empty keeps it host-only.')
param hubCookieDomain string = ''

var token = toLower(uniqueString(subscription().id, environmentName, location))
var tags = { 'azd-env-name': environmentName, app: 'hub-agents' }
var functionAppName = 'func-hub-${token}'

resource rg 'Microsoft.Resources/resourceGroups@2024-03-01' = {
  name: empty(resourceGroupName) ? 'rg-${environmentName}' : resourceGroupName
  location: location
  tags: tags
}

module identity 'app/identity.bicep' = {
  name: 'identity'
  scope: rg
  params: { location: location, tags: tags, token: token }
}

module monitoring 'app/monitoring.bicep' = {
  name: 'monitoring'
  scope: rg
  params: { location: location, tags: tags, token: token }
}

module storage 'app/storage.bicep' = {
  name: 'storage'
  scope: rg
  params: { location: location, tags: tags, token: token }
}

module cosmos 'app/cosmos.bicep' = {
  name: 'cosmos'
  scope: rg
  params: { location: location, tags: tags, token: token }
}

module serviceBus 'app/service-bus.bicep' = {
  name: 'service-bus'
  scope: rg
  params: { location: location, tags: tags, token: token }
}

module keyVault 'app/key-vault.bicep' = {
  name: 'key-vault'
  scope: rg
  params: { location: location, tags: tags, token: token }
}

module communication 'app/communication.bicep' = {
  name: 'communication'
  scope: rg
  params: { tags: tags, token: token, dataLocation: acsDataLocation }
}

// Roles first: the identity exists before the app, so the host's first start already has its data-plane access.
module roles 'app/roles.bicep' = {
  name: 'roles'
  scope: rg
  params: {
    principalId: identity.outputs.principalId
    storageAccountName: storage.outputs.name
    cosmosAccountName: cosmos.outputs.accountName
    serviceBusNamespaceName: serviceBus.outputs.namespaceName
    applicationInsightsName: monitoring.outputs.applicationInsightsName
    keyVaultName: keyVault.outputs.name
    communicationServiceName: communication.outputs.name
  }
}

module functionApp 'app/function-app.bicep' = {
  name: 'function-app'
  scope: rg
  dependsOn: [roles]
  params: {
    location: location
    tags: tags
    name: functionAppName
    identityId: identity.outputs.id
    identityClientId: identity.outputs.clientId
    storageAccountName: storage.outputs.name
    deploymentContainerUrl: storage.outputs.deploymentContainerUrl
    applicationInsightsConnectionString: monitoring.outputs.connectionString
    cosmosEndpoint: cosmos.outputs.endpoint
    cosmosDatabase: cosmos.outputs.databaseName
    serviceBusNamespaceHost: serviceBus.outputs.namespaceHost
    busTopic: serviceBus.outputs.topicName
    publicBaseUrl: empty(publicBaseUrl) ? 'https://${functionAppName}.azurewebsites.net' : publicBaseUrl
    platformAdminToken: platformAdminToken
    integrationKeyPepper: integrationKeyPepper
    keyVaultUrl: keyVault.outputs.uri
    productBaseUrls: {
      psa: productPsaBaseUrl
      defend: productDefendBaseUrl
      portal: productPortalBaseUrl
      jarvis: productJarvisBaseUrl
    }
    approvalLinkSecret: approvalLinkSecret
    acsEndpoint: communication.outputs.endpoint
    acsEmailSender: empty(acsEmailSender) ? communication.outputs.emailSender : acsEmailSender
    acsSmsFrom: acsSmsFrom
    productClients: productClients
    productClientSecrets: productClientSecrets
    hubCookieDomain: hubCookieDomain
  }
}

// azd reads these into the environment (.azure/<env>/.env).
output AZURE_RESOURCE_GROUP string = rg.name
output AZURE_FUNCTION_APP_NAME string = functionApp.outputs.name
// Not PUBLIC_BASE_URL: that name is the input (main.parameters.json), and an output would overwrite a custom domain.
output FUNCTION_APP_URL string = functionApp.outputs.defaultUrl
output COSMOS_ENDPOINT string = cosmos.outputs.endpoint
output ACS_ENDPOINT string = communication.outputs.endpoint
output ACS_EMAIL_SENDER_DOMAIN string = communication.outputs.emailDomain
output KEY_VAULT_NAME string = keyVault.outputs.name
