// Azure Communication Services: an Email service with an Azure-managed domain (no DNS to verify), linked to the
// Communication Services resource the app sends email and SMS through with its identity (shared/notify).
// SMS needs a number bought in that resource (portal or CLI); it reaches the app as the ACS_SMS_FROM setting.
param tags object
param token string
@description('Where ACS keeps data at rest (a geography such as United States or Europe, not a region).')
param dataLocation string

// ACS resources are global; their data stays in dataLocation.
resource emailService 'Microsoft.Communication/emailServices@2023-04-01' = {
  name: 'ecs-hub-${token}'
  location: 'global'
  tags: tags
  properties: { dataLocation: dataLocation }
}

resource managedDomain 'Microsoft.Communication/emailServices/domains@2023-04-01' = {
  parent: emailService
  name: 'AzureManagedDomain'
  location: 'global'
  tags: tags
  properties: {
    domainManagement: 'AzureManaged'
    // Links in approval emails are capabilities: no click-tracking redirect may rewrite them.
    userEngagementTracking: 'Disabled'
  }
}

resource communicationService 'Microsoft.Communication/communicationServices@2023-04-01' = {
  name: 'acs-hub-${token}'
  location: 'global'
  tags: tags
  properties: {
    dataLocation: dataLocation
    linkedDomains: [managedDomain.id]
  }
}

output name string = communicationService.name
output endpoint string = 'https://${communicationService.properties.hostName}'
output emailDomain string = managedDomain.properties.mailFromSenderDomain
// Every Azure-managed domain comes with the DoNotReply sender.
output emailSender string = 'DoNotReply@${managedDomain.properties.mailFromSenderDomain}'
