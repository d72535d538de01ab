// Cosmos DB (NoSQL), database `hub`; every container partitioned by /org_id (docs/auth.md), TTLs per shared/store/containers.ts.
param location string
param tags object
param token string

var databaseName = 'hub'
var day = 86400
// Keep in step with shared/store/containers.ts (test/infra/template.test.ts compares names, keys and TTLs).
var containers = [
  { name: 'identity', defaultTtl: -1 }
  { name: 'keys', defaultTtl: null }
  { name: 'agents', defaultTtl: null }
  { name: 'executions', defaultTtl: 90 * day }
  { name: 'ledger', defaultTtl: 365 * day }
  { name: 'approvals', defaultTtl: -1 }
  { name: 'outbox', defaultTtl: -1 }
  { name: 'inbox', defaultTtl: -1 }
]

resource account 'Microsoft.DocumentDB/databaseAccounts@2024-05-15' = {
  name: 'cosmos-hub-${token}'
  location: location
  tags: tags
  kind: 'GlobalDocumentDB'
  properties: {
    databaseAccountOfferType: 'Standard'
    disableLocalAuth: true
    consistencyPolicy: { defaultConsistencyLevel: 'Session' }
    locations: [{ locationName: location, failoverPriority: 0, isZoneRedundant: false }]
    capabilities: [{ name: 'EnableServerless' }]
  }
}

resource database 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases@2024-05-15' = {
  parent: account
  name: databaseName
  properties: { resource: { id: databaseName } }
}

resource containerResources 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers@2024-05-15' = [
  for container in containers: {
    parent: database
    name: container.name
    properties: {
      resource: union(
        {
          id: container.name
          partitionKey: { paths: ['/org_id'], kind: 'Hash', version: 2 }
        },
        container.defaultTtl == null ? {} : { defaultTtl: container.defaultTtl }
      )
    }
  }
]

output endpoint string = account.properties.documentEndpoint
output accountName string = account.name
output databaseName string = databaseName
