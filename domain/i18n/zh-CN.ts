/**
 * The catalogue in Simplified Chinese, the product's language (DESIGN.md §4a "Language"). Keys are stable; the
 * English beside it (./en.ts) has the same keys and placeholders — test/i18n.test.ts fails otherwise. Values are
 * i18next strings: `{{name}}` a parameter, `{{name, format}}` a formatted one (./format.ts), `_one`/`_other` plural
 * forms where English needs them (Chinese has none).
 */
import { zhCNApi } from './zh-CN-api';
import { zhCNActivities } from './zh-CN-activities';
import { zhCNNotices } from './zh-CN-notices';
import { zhCNRules } from './zh-CN-rules';
import { zhCNOpen311 } from './zh-CN-open311';
import { zhCNRouting } from './zh-CN-routing';

export const zhCN = {
  'list.separator': '、',
  'sentence.separator': '',

  'law.xinfang': '《信访工作条例》',
  'law.civilCode': '《中华人民共和国民法典》',
  'law.article': '第{{article, article}}条',
  'law.citation': '{{law}}{{articles}}',

  'period.calendarDays': '{{count}}日',
  'period.workingDays': '{{count}}个工作日',

  'channel.letter': '来信',
  'channel.visit': '来访',
  'channel.phone': '来电',
  'channel.online': '通过网上信访渠道',
  'channel.fax': '通过传真',

  'weekday.0': '星期日',
  'weekday.1': '星期一',
  'weekday.2': '星期二',
  'weekday.3': '星期三',
  'weekday.4': '星期四',
  'weekday.5': '星期五',
  'weekday.6': '星期六',

  'holiday.newYear': '元旦',
  'holiday.springFestival': '春节',
  'holiday.tombSweeping': '清明节',
  'holiday.labourDay': '劳动节',
  'holiday.dragonBoat': '端午节',
  'holiday.midAutumn': '中秋节',
  'holiday.nationalDay': '国庆节',
  'holiday.victoryDay70': '中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日',

  // Deadline explanations (DESIGN.md §5): one sentence a clerk can read, from the explanation's structured fields.
  'deadline.text':
    '截止于{{lastDay, dueEnd}}：期限{{period}}，自{{start, localDate}}起算（{{notes}}），至{{nominal, localDate}}届满{{outcome}}。',
  'deadline.withExtension': '{{period}}，另延长{{days}}日（{{reason}}）',
  'deadline.extendedFrom':
    '{{period}}，原期限至{{originalLastDay, localDate}}届满，自次日起延长{{days}}日（{{reason}}）',
  'deadline.startDayNotCounted': '起算当日不计入',
  'deadline.pausedDays': '中止期间{{count}}日不计入：{{reasons}}',
  'deadline.notesSeparator': '；',
  'deadline.rolledForward': '；该日为休息日（{{rest}}），顺延至其后第一个工作日{{to, localDate}}（{{citation}}）',
  'deadline.restHoliday': '{{name}}假期',
  'deadline.restHolidayUnnamed': '法定节假日',
  'deadline.makeUpLastDay': '；该日为调休工作日（{{name}}），不顺延',
  'deadline.makeUpLastDayUnnamed': '；该日为调休工作日，不顺延',
  'deadline.extras': '，{{extras}}',
  'deadline.extrasSeparator': '，',
  'deadline.skipping': '跳过休息日{{count}}日（{{kinds}}）',
  'deadline.holidayDays': '法定节假日{{count}}日：{{names}}',
  'deadline.holidayDaysUnnamed': '法定节假日{{count}}日',
  'deadline.weekendDays': '周末{{count}}日',
  'deadline.kindsSeparator': '；',
  'deadline.makeUpCounted': '计入调休工作日{{dates}}',
  'deadline.openPause':
    '中止事由（{{reason}}）仍在持续，已计算至{{until, localDate}}；此后每持续一日，期限相应顺延一日。',
  'deadline.provisional': '暂定：尚未载入{{years}}年的节假日安排，仅将星期六、星期日视为休息日。',

  // Clocks C1–C10 (DESIGN.md §4) as timers, reminders and details name them.
  'clock.dispose': 'C1 处理',
  'clock.notify': 'C2 告知',
  'clock.acknowledge': 'C3 签收',
  'clock.objection': 'C4 异议',
  'clock.handling': 'C5 办理',
  'clock.rating': 'C6 评价',
  'clock.reviewRequest': 'C7 复查申请',
  'clock.reviewDecision': 'C8 复查办理',
  'clock.reReviewRequest': 'C9 复核申请',
  'clock.reReviewDecision': 'C10 复核办理',
  'clock.execution': 'C11 执行',
  'clock.callbackDecision': 'C12 回访决定',
  'clock.supervisionReply': 'C13 督办回复',
  'clock.service': 'C14 送达',
  'summary.issueNotice': '制作文书并按渠道送达：{{noticeKind}}（第{{n}}份）',
  'summary.findIssuingOffice': '查找出具文书的信访工作机构',
  'summary.recordService': '登记送达：{{noticeId}}',
  'summary.recordUndeliverable': '登记无法送达：{{noticeId}}',
  'summary.serviceWindow': '计算{{clock}}期限（自送达之日起）',
  'clock.deadline': '{{clock}}期限',
  'clock.expires': '{{clock}}期限届满',
  'clock.stillOverdue': '{{clock}}仍逾期：督办上升一级',
  'reminder.half': '{{deadline}} — 过半提醒',
  'reminder.fraction': '{{deadline}} — 已过{{percent}}%提醒',
  'reminder.daysLeft': '{{deadline}} — 剩余{{count}}天提醒',
  'reminder.dueToday': '{{deadline}} — 当日到期提醒',
  'reminder.workingDaysLeft': '{{deadline}} — 剩余{{count}}个工作日提醒',

  // The written reply (Art 32), as e-mailed and shown on the tracking page.
  'reply.title': '{{document}}（{{caseNumber}}）',
  'reply.from': '办理单位：{{unit}}',
  'reply.request': '信访诉求：{{request}}',
  'reply.factsAndReasons': '事实和理由：{{text}}',
  'reply.decision': '处理意见：{{decision}}',
  'reply.legalBasis': '法律依据：{{text}}',
  'reply.rightToReview':
    '如对本意见不服，你可以在{{until, dueEnd}}前向上一级机关请求{{review}}（{{citation}}）。期限计算：{{explanation}}',
  'reply.rightToReviewOnService':
    '如对本意见不服，你可以自收到本意见之日起{{period}}内向上一级机关请求{{review}}（{{citation}}）。',
  'notice.sms':
    '【信访】你的信访事项（{{caseNumber}}）有新的文书：{{title}}。请凭查询码{{trackingCode}}和密码登录信访查询页面查看全文。',
  'reply.final': '本意见为复核意见。你如仍以同一事实和理由提出信访事项，不再受理（{{citation}}）。',
  'reply.noReview': '本答复不适用复查、复核程序（{{citation}}）。',
  'review.review': '复查',
  'review.reReview': '复核',
  'decision.support': '你的诉求合理，予以支持。',
  'decision.explain': '你的诉求合理但缺乏法律依据，特此解释说明。',
  'decision.not_support': '你的诉求缺乏事实根据或者不符合法律法规和政策规定，不予支持。',
  'decision.mediated': '经调解，双方达成调解（和解）协议。',
  'decision.adopted': '你的建议（意见）予以采纳。',
  'decision.partly_adopted': '你的建议（意见）部分予以采纳。',
  'decision.not_adopted': '你的建议（意见）暂不采纳。',
  'decision.substantiated': '经查，你所检举控告的问题属实。',
  'decision.partly_substantiated': '经查，你所检举控告的问题部分属实。',
  'decision.not_substantiated': '经查，你所检举控告的问题不属实。',
  'decision.answered': '现就你咨询的问题答复如下。',
  'document.opinion': '信访事项处理意见书',
  'document.reviewOpinion': '信访事项复查意见书',
  'document.reReviewOpinion': '信访事项复核意见书',

  // problem+json (RFC 9457): titles by status, and the details the API composes itself.
  'problem.title.badRequest': '请求无效',
  'problem.title.unauthorized': '未通过身份认证',
  'problem.title.forbidden': '无权操作',
  'problem.title.notFound': '未找到',
  'problem.title.conflict': '与案件状态冲突',
  'problem.title.contentTooLarge': '请求内容过大',
  'problem.title.unsupportedMediaType': '不支持的媒体类型',
  'problem.title.unprocessable': '不符合办理规则',
  'problem.title.tooManyRequests': '请求过于频繁',
  'problem.title.internal': '服务器内部错误',
  'problem.title.unavailable': '服务暂不可用',
  'problem.detail.apiKeyRequired': '需要有效的API密钥：Authorization: Bearer <密钥>',
  'problem.detail.notFound': '未找到',
  'problem.detail.noRoute': '没有 {{method}} {{path}} 这一接口',
  'problem.detail.internal': '服务器出错；请求编号见响应头 X-Request-Id',
  'problem.detail.mongoUnreachable': '案件数据库（MongoDB）暂时无法连接，请稍后重试',
  'problem.detail.temporalUnreachable': '流程服务（Temporal）暂时无法连接，请稍后重试',
  'problem.detail.invalidRequest': '请求无效',
  'problem.detail.field': '{{field}}：{{message}}',
  'problem.detail.malformedJson': '请求体不是有效的JSON（{{reason}}）',
  'problem.detail.bodyTooLarge': '请求体超过{{limit}}字节的上限',
  'problem.detail.unsupportedCharset': '不支持字符集“{{charset}}”；请以UTF-8发送',
  'problem.detail.unsupportedEncoding': '不支持内容编码“{{encoding}}”',

  ...zhCNNotices,
  ...zhCNApi,
  ...zhCNRules,
  ...zhCNOpen311,
  ...zhCNActivities,
  ...zhCNRouting,
} as const;
