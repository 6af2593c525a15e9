/**
 * Why an activity failed, as an operator reads it in the Temporal UI and, for a failure inside an action, as the API
 * answers it: routing, deadlines, records not written yet, and webhooks to units' systems.
 */
export const zhCNActivities = {
  'activity.deadlineUncomputable': '无法计算{{clock}}期限（起算时间{{startedAt}}）：{{reason}}',
  'activity.caseNotRecorded': '信访事项{{caseId}}尚未写入案件记录，稍后重试',
  'activity.outboxNotWritten': '通知{{outboxId}}尚未写入发件箱，稍后重试',

  'routing.unknownUnit': '单位{{unitCode}}不在单位名录中',
  'routing.noUnit':
    '区域{{regionCode}}没有可以办理该信访事项的单位（类型{{kind}}，类别{{category}}）：没有匹配的分流规则，也没有为该区域服务的政府综合办公室',

  // What a delivery records and why it failed; the payload sent to the unit is not text of the catalogue.
  'webhook.answered': '对方答复HTTP {{status}}',
  'webhook.redirected': '对方答复HTTP {{status}}：不跟随重定向',
  'webhook.noAnswer': '对方在{{ms}}毫秒内没有答复',
  'webhook.failed': '向单位{{unit}}发送Webhook失败：{{error}}',
  'webhook.refused': '单位{{unit}}对Webhook答复HTTP {{status}}，不再重试',
  'webhook.refusedRedirect': '单位{{unit}}对Webhook答复HTTP {{status}}（不跟随重定向），不再重试',
  'webhookTarget.notHttp': '该单位的Webhook地址必须是http或https地址，请重新保存',
  'webhookTarget.credentials':
    '该单位的Webhook地址不得包含用户名和密码（user:password@），请去掉后重新保存；Webhook以密钥签名',
  'webhookTarget.refused.loopback':
    'Webhook目标{{host}}的地址{{address}}是本机环回地址：除非XINFANG_WEBHOOK_ALLOW允许，否则不予发送',
  'webhookTarget.refused.link-local':
    'Webhook目标{{host}}的地址{{address}}是链路本地地址：除非XINFANG_WEBHOOK_ALLOW允许，否则不予发送',
  'webhookTarget.refused.private':
    'Webhook目标{{host}}的地址{{address}}是内网地址：除非XINFANG_WEBHOOK_ALLOW允许，否则不予发送',
  'webhookTarget.refused.non-public':
    'Webhook目标{{host}}的地址{{address}}不是公网地址：除非XINFANG_WEBHOOK_ALLOW允许，否则不予发送',
} as const;
