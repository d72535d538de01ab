// The Function App on Flex Consumption, with a system-assigned identity and the app settings of shared/config.ts.
param location string
param tags object
param name string
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
@description('Base URLs of the product APIs (empty disables that product\'s actions).')
param productBaseUrls object = { psa: '', defend: '', portal: '', jarvis: '' }
@secure()
@description('Secret from which each org\'s product service key is derived; the product backends hold it too.')
param productServiceKeySecret string
@secure()
@description('Signs approval decision links.')
param approvalLinkSecret string
@description('Azure Communication Services endpoint, email sender and SMS number; empty disables that channel.')
param acsEndpoint string = ''
param acsEmailSender string = ''
param acsSmsFrom string = ''
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
  tags: union(tags, { 'azd-service-name': 'api' })
  kind: 'functionapp,linux'
  identity: { type: 'SystemAssigned' }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: deploymentContainerUrl
          authentication: { type: 'SystemAssignedIdentity' }
        }
      }
      scaleAndConcurrency: { maximumInstanceCount: 100, instanceMemoryMB: 2048 }
      // Flex sets the worker runtime here; FUNCTIONS_WORKER_RUNTIME is not an app setting on this plan.
      runtime: { name: 'node', version: '20' }
    }
    siteConfig: {
      minTlsVersion: '1.2'
      appSettings: [
        // Host storage and Durable task hub, by identity.
        { name: 'AzureWebJobsStorage__accountName', value: storageAccountName }
        { name: 'AzureWebJobsStorage__credential', value: 'managedidentity' }
        { name: 'APPLICATIONINSIGHTS_CONNECTION_STRING', value: applicationInsightsConnectionString }
        { name: 'APPLICATIONINSIGHTS_AUTHENTICATION_STRING', value: 'Authorization=AAD' }
        // The app's own settings (shared/config.ts).
        { name: 'APP_ENV', value: 'production' }
        { name: 'PUBLIC_BASE_URL', value: publicBaseUrl }
        { name: 'COSMOS__accountEndpoint', value: cosmosEndpoint }
        { name: 'COSMOS_DATABASE', value: cosmosDatabase }
        { name: 'TASK_HUB_NAME', value: 'hubagents' }
        { name: 'BUS_TOPIC', value: busTopic }
        { name: 'ServiceBusConnection__fullyQualifiedNamespace', value: serviceBusNamespaceHost }
        { name: 'PLATFORM_ADMIN_TOKEN', value: platformAdminToken }
        { name: 'PRODUCT_PSA_BASE_URL', value: productBaseUrls.psa }
        { name: 'PRODUCT_DEFEND_BASE_URL', value: productBaseUrls.defend }
        { name: 'PRODUCT_PORTAL_BASE_URL', value: productBaseUrls.portal }
        { name: 'PRODUCT_JARVIS_BASE_URL', value: productBaseUrls.jarvis }
        { name: 'PRODUCT_SERVICE_KEY_SECRET', value: productServiceKeySecret }
        { name: 'APPROVAL_LINK_SECRET', value: approvalLinkSecret }
        { name: 'ACS_ENDPOINT', value: acsEndpoint }
        { name: 'ACS_EMAIL_SENDER', value: acsEmailSender }
        { name: 'ACS_SMS_FROM', value: acsSmsFrom }
        { name: 'INTEGRATION_KEY_PEPPER', value: integrationKeyPepper }
        { name: 'HUB_TOKEN_TTL_SECONDS', value: '600' }
        { name: 'KEY_VAULT_URL', value: keyVaultUrl }
      ]
    }
  }
}

output name string = site.name
output principalId string = site.identity.principalId
output defaultUrl string = 'https://${site.properties.defaultHostName}'
