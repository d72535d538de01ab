// The One Bus: one topic, one subscription per consumer, each filtered on the `type` application property.
param location string
param tags object
param token string

var topicName = 'the-one-bus'
// The subscriptions and sqlFilter() texts of shared/bus/topology.ts; test/infra/template.test.ts checks the compiled template against it.
var subscriptions = [
  { name: 'sessions', filter: 'user.type IN (\'hub.iam.user_deactivated\', \'hub.auth.password_changed\')' }
  {
    name: 'psa-sync'
    filter: 'user.type IN (\'hub.iam.user_created\', \'hub.iam.access_granted\', \'hub.iam.access_revoked\', \'hub.iam.permission_changed\', \'hub.iam.user_deactivated\')'
  }
  { name: 'agents', filter: '1=1' }
]

resource namespace 'Microsoft.ServiceBus/namespaces@2022-10-01-preview' = {
  name: 'sb-hub-${token}'
  location: location
  tags: tags
  sku: { name: 'Standard', tier: 'Standard' }
  properties: { disableLocalAuth: true, minimumTlsVersion: '1.2' }
}

resource topic 'Microsoft.ServiceBus/namespaces/topics@2022-10-01-preview' = {
  parent: namespace
  name: topicName
  properties: { requiresDuplicateDetection: true, duplicateDetectionHistoryTimeWindow: 'PT10M' }
}

resource subscriptionResources 'Microsoft.ServiceBus/namespaces/topics/subscriptions@2022-10-01-preview' = [
  for sub in subscriptions: {
    parent: topic
    name: sub.name
    properties: { maxDeliveryCount: 10, deadLetteringOnMessageExpiration: true, lockDuration: 'PT1M' }
  }
]

resource rules 'Microsoft.ServiceBus/namespaces/topics/subscriptions/rules@2022-10-01-preview' = [
  for (sub, i) in subscriptions: {
    parent: subscriptionResources[i]
    // Replacing $Default (a TrueFilter) rather than adding a rule beside it, which would let everything through.
    name: '$Default'
    properties: { filterType: 'SqlFilter', sqlFilter: { sqlExpression: sub.filter } }
  }
]

output namespaceName string = namespace.name
output namespaceHost string = '${namespace.name}.servicebus.windows.net'
output topicName string = topic.name
