// Key Vault for the token signing keys (RBAC only; the app reads and writes its secrets with its identity).
param location string
param tags object
param token string

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: 'kv-hub-${take(token, 15)}'
  location: location
  tags: tags
  properties: {
    tenantId: subscription().tenantId
    sku: { family: 'A', name: 'standard' }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 30
    enablePurgeProtection: true
    publicNetworkAccess: 'Enabled'
  }
}

output name string = vault.name
output uri string = vault.properties.vaultUri
