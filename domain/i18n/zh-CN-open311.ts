/**
 * Open311 (GeoReport v2) as the public and client apps read it: the services (one per case category), the attributes
 * a request form asks for, the status notes per stage, the answer to a registered request, the discovery document and
 * Open311's error descriptions. Service codes, field names and element names stay as the specification spells them.
 */
export const zhCNOpen311 = {
  'open311.service.environment': '生态环境',
  'open311.service.environment.keywords': '噪声,污染,垃圾',
  'open311.service.housing': '住房城乡建设',
  'open311.service.housing.keywords': '征收拆迁,房产,建设工程',
  'open311.service.public_security': '公安',
  'open311.service.public_security.keywords': '治安,安全,户籍',
  'open311.service.labour': '人力资源社会保障',
  'open311.service.labour.keywords': '工资,养老保险,就业',
  'open311.service.transport': '交通运输',
  'open311.service.transport.keywords': '道路,公交,出租车',
  'open311.service.education': '教育',
  'open311.service.education.keywords': '学校,招生',
  'open311.service.health': '卫生健康',
  'open311.service.health.keywords': '医院,医疗',
  'open311.service.urban_management': '城市管理',
  'open311.service.urban_management.keywords': '流动摊贩,环境卫生,停车',
  'open311.service.other': '其他事项',
  'open311.service.other.keywords': '其他',
  // A category a routing rule names but the catalogue does not: its code is all there is to show.
  'open311.service.uncatalogued': '其他类别（{{code}}）',
  'open311.service.description': '{{name}}方面的信访事项：登记后转送有权处理的机关、单位办理，并在法定期限内书面答复。',

  // The attributes of a service definition, as a request form shows them.
  'open311.attribute.regionCode': '事项所在地（行政区划代码）',
  'open311.attribute.regionCode.datatype': '6位行政区划代码，例如330106；也可以由jurisdiction_id提供',
  'open311.attribute.kind': '信访事项的类型；未填写时按投诉办理',
  'open311.attribute.confidential': '不在公开列表中显示本事项',
  'open311.attribute.publicationConsent': '信访人同意公开事项主题和办理进展（未填写时视为不同意）',
  'open311.attribute.no': '否',
  'open311.attribute.yes': '是',
  'open311.kind.suggestion': '建议',
  'open311.kind.opinion': '意见（含批评）',
  'open311.kind.complaint': '投诉',
  'open311.kind.request': '申诉求决',
  'open311.kind.report': '检举控告（不公开）',
  'open311.kind.consultation': '咨询',

  // status_notes per stage; an open request adds its current deadline.
  'open311.status.registered': '已登记，信访工作机构正在决定是否受理。',
  'open311.status.not_accepted': '不予受理，已告知信访人理由及其他解决途径。',
  'open311.status.transferred': '已转送有权处理的机关、单位。',
  'open311.status.assigned': '已交办有权处理的机关、单位，并限定了办结期限。',
  'open311.status.acknowledged': '有权处理的机关、单位已签收。',
  'open311.status.accepted': '有权处理的机关、单位已受理。',
  'open311.status.handling': '有权处理的机关、单位正在办理。',
  'open311.status.result_submitted': '办理单位已作出处理意见，书面答复正在送达。',
  'open311.status.reply_delivered': '书面答复意见已送达信访人。',
  'open311.status.review_requested': '信访人已请求复查，上一级机关正在复查。',
  'open311.status.review_replied': '复查意见已送达信访人。',
  'open311.status.re_review_requested': '信访人已请求复核。',
  'open311.status.resolved': '已办结：已答复，信访人未请求复查。',
  'open311.status.terminated': '已办结：复查、复核程序已终结。',
  'open311.status.withdrawn': '已办结：信访人已撤回。',
  'open311.status.merged': '已办结：与此前就同一事项提出的请求合并办理。',
  'open311.status.closed': '已办结。',
  'open311.status.awaiting_execution': '已答复，办理单位正在落实处理意见。',
  'open311.status.redo': '已退回办理单位重新办理。',
  'open311.status.answered': '已办结：咨询已答复。',
  'open311.status.diverted': '已办结：已导入依法应当适用的法定程序。',
  'open311.status.withDeadline': '{{note}}当前期限截至{{dueAt, dueEnd}}。',

  'open311.notice.registered': '已登记为信访事项{{caseNumber}}。信访人可以凭查询码和密码查询办理进展。',
  'open311.notice.registeredDecideBy':
    '已登记为信访事项{{caseNumber}}，信访工作机构将于{{dueAt, dueEnd}}前决定是否受理。信访人可以凭查询码和密码查询办理进展。',
  // The case content a clerk reads: the petitioner's text, then where the matter is.
  'open311.content.withLocation': '{{description}}\n\n地点：{{location}}',

  'open311.discovery.contact': '本服务由运行它的信访工作机构（信访局）负责解答相关问题。',
  'open311.discovery.keyService': '查询向所有人开放。登记请求需要受理端API密钥，由信访工作机构发放。',

  // Open311's error descriptions.
  'open311.error.noService': '没有“{{code}}”这项服务；GET services.{{format}} 列出全部服务',
  'open311.error.noResource': '没有 {{method}} {{path}} 这一Open311资源；路径应以 .json 或 .xml 结尾',
  'open311.error.noRequest': '没有编号为{{id}}的服务请求',
  'open311.error.mediaType': 'Content-Type应为application/x-www-form-urlencoded或application/json',
  'open311.error.apiKeyRequired': '需要API密钥：api_key字段或Authorization: Bearer <密钥>',
  'open311.error.apiKeyUnknown': 'API密钥不存在或已被吊销',
  'open311.error.role': '登记请求须使用受理端或信访工作机构的密钥，不能使用{{role}}密钥',
  'open311.error.regionRequired': 'jurisdiction_id或attribute[region_code]为必填项：事项所在地的6位行政区划代码',
  'open311.field.regionCode': 'jurisdiction_id或attribute[region_code]',
  'open311.field.body': '请求体',
  'open311.rule.serviceRequestIds': '应为以逗号分隔的service_request_id',
  'open311.rule.jurisdictionId': '应为省、市或县的行政区划代码（2位、4位或6位数字）',
} as const;
