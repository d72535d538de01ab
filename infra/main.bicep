// Everything Hub & Agents needs in Azure: Function App (Flex Consumption), storage, Cosmos DB, Service Bus,
// Application Insights, Key Vault (token signing keys). Identity-based access everywhere: role assignments,
// no connection strings or keys.
targetScope = 'resourceGroup'

@minLength(1)
@maxLength(40)
@description('Name of the environment (e.g. dev, prod); used to name resources.')
param environmentName string

@description('Azure region for every resource.')
param location string = resourceGroup().location

@description('Public base URL of the app (decision links); defaults to the Function App host name.')
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
@description('Secret from which each org\'s product service key is derived (shared with the product backends).')
param productServiceKeySecret string

@secure()
@minLength(32)
@description('Signs approval decision links; rotating it kills every open link.')
param approvalLinkSecret string

@description('Base URLs of the product APIs: { psa, defend, portal, jarvis }.')
param productBaseUrls object = { psa: '', defend: '', portal: '', jarvis: '' }

var token = toLower(uniqueString(subscription().id, resourceGroup().id, environmentName))
var tags = { 'azd-env-name': environmentName, app: 'hub-agents' }
var functionAppName = 'func-hub-${token}'

module monitoring 'app/monitoring.bicep' = {
  name: 'monitoring'
  params: { location: location, tags: tags, token: token }
}

module storage 'app/storage.bicep' = {
  name: 'storage'
  params: { location: location, tags: tags, token: token }
}

module cosmos 'app/cosmos.bicep' = {
  name: 'cosmos'
  params: { location: location, tags: tags, token: token }
}

module serviceBus 'app/service-bus.bicep' = {
  name: 'service-bus'
  params: { location: location, tags: tags, token: token }
}

module keyVault 'app/key-vault.bicep' = {
  name: 'key-vault'
  params: { location: location, tags: tags, token: token }
}

module functionApp 'app/function-app.bicep' = {
  name: 'function-app'
  params: {
    location: location
    tags: tags
    name: functionAppName
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
    productServiceKeySecret: productServiceKeySecret
    productBaseUrls: productBaseUrls
    approvalLinkSecret: approvalLinkSecret
  }
}

module roles 'app/roles.bicep' = {
  name: 'roles'
  params: {
    principalId: functionApp.outputs.principalId
    storageAccountName: storage.outputs.name
    cosmosAccountName: cosmos.outputs.accountName
    serviceBusNamespaceName: serviceBus.outputs.namespaceName
    applicationInsightsName: monitoring.outputs.applicationInsightsName
    keyVaultName: keyVault.outputs.name
  }
}

output AZURE_FUNCTION_APP_NAME string = functionApp.outputs.name
output PUBLIC_BASE_URL string = functionApp.outputs.defaultUrl
output COSMOS_ENDPOINT string = cosmos.outputs.endpoint
