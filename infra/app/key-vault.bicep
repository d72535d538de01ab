// Key Vault for the token signing keys (RBAC only; the app writes and reads its secrets with its identity).
//
// Its name is stable per environment, so `azd provision` always finds the same vault. A deleted vault keeps its
// name reserved while soft-deleted; `azd down --purge` purges it, and `azd up` can then create it again. Purge
// protection is off on purpose: with it on, nobody can purge, and the same environment cannot come back for the
// whole retention period (docs/deploy.md explains the trade and how to turn it on).
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
    // The shortest window: it is also how long an unpurged, deleted vault blocks `azd up` of this environment.
    softDeleteRetentionInDays: 7
    publicNetworkAccess: 'Enabled'
  }
}

output name string = vault.name
output uri string = vault.properties.vaultUri
