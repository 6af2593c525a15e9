/** Activity failures in English: the same keys and placeholders as ./zh-CN-activities.ts. */
export const enActivities = {
  'activity.deadlineUncomputable': 'cannot compute the {{clock}} deadline from {{startedAt}}: {{reason}}',
  'activity.caseNotRecorded': 'case {{caseId}} has no record yet',
  'activity.outboxNotWritten': 'outbox message {{outboxId}} is not written yet',

  'routing.unknownUnit': 'unit {{unitCode}} is not in the directory',
  'routing.noUnit':
    'no unit found for a {{kind}} case in region {{regionCode}} (category "{{category}}"): no routing rule matches and no general office serves the region',

  'webhook.answered': 'HTTP {{status}}',
  'webhook.redirected': 'HTTP {{status}}: redirects are not followed',
  'webhook.noAnswer': 'no answer within {{ms}} ms',
  'webhook.failed': 'webhook to unit {{unit}} failed: {{error}}',
  'webhook.refused': 'unit {{unit}} answered the webhook with HTTP {{status}}',
  'webhook.refusedRedirect': 'unit {{unit}} answered the webhook with HTTP {{status}} (redirects are not followed)',
  'webhookTarget.notHttp': 'the webhook URL must be an http or https URL; save it again',
  'webhookTarget.credentials':
    'the webhook URL must not carry credentials (user:password@); save it again without them: webhooks are signed with the secret',
  'webhookTarget.refused.loopback':
    'webhook target {{host}} is {{address}}, a loopback address: refused unless XINFANG_WEBHOOK_ALLOW names it',
  'webhookTarget.refused.link-local':
    'webhook target {{host}} is {{address}}, a link-local address: refused unless XINFANG_WEBHOOK_ALLOW names it',
  'webhookTarget.refused.private':
    'webhook target {{host}} is {{address}}, a private address: refused unless XINFANG_WEBHOOK_ALLOW names it',
  'webhookTarget.refused.non-public':
    'webhook target {{host}} is {{address}}, a non-public address: refused unless XINFANG_WEBHOOK_ALLOW names it',
} as const;
