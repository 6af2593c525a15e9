/**
 * What the API itself says, in Simplified Chinese: the details of its problem answers, the messages of request
 * validation (a schema's message is its key here, rendered in the caller's language by api/validation.ts), the
 * directory's consistency problems, and the definitions the statistics publish. The same keys as ./en-api.ts.
 */
export const zhCNApi = {
  'problem.detail.fieldsSeparator': '；',
  'problem.detail.caseNotFound': '未找到案件{{caseId}}',
  'problem.detail.caseNoRecordYet': '案件{{caseId}}尚无案件记录',
  'problem.detail.unknownAction': '没有“{{action}}”这一操作；可用的操作：{{actions}}',
  'problem.detail.petitionerActions': '信访人只能提交以下操作：{{actions}}',
  'problem.detail.pinThrottled': '本客户端对该查询码输错密码次数过多，请{{seconds}}秒后再试',
  'problem.detail.trackingNotFound': '没有与该查询码和密码相符的信访事项',
  'problem.detail.noticeNotFound': '该查询码下没有此编号的文书',
  'problem.detail.trackingUnavailable': '案件数据库暂时无法连接，暂不能查询，请稍后重试',
  'problem.detail.caseBeingRegistered': '该信访事项正在登记，请稍后再试',
  'problem.detail.apiKeysUnavailable': '暂时无法核验API密钥，请稍后重试',
  'problem.detail.apiKeyRevoked': 'API密钥无效或已被吊销',
  'problem.detail.wrongRole': '此接口仅限{{roles}}密钥使用，不接受{{role}}密钥',
  'problem.detail.rolesSeparator': '或',
  'problem.detail.rateLimitedKey': '该API密钥每秒请求超过{{perSecond}}次（突发上限{{burst}}次），请{{seconds}}秒后重试',
  'problem.detail.rateLimitedAddress':
    '该地址每秒请求超过{{perSecond}}次（突发上限{{burst}}次），请{{seconds}}秒后重试',
  'problem.detail.invalidUtf8': '请求体不是有效的UTF-8编码',
  'problem.detail.contentType': 'Content-Type请求头为“{{given}}”；本接口只接受application/json',
  'problem.detail.contentTypeMissing': '缺少Content-Type请求头；请以application/json发送',
  'problem.detail.noInbox': '此密钥没有{{unitCode}}的收件箱',
  'problem.detail.unitNotFound': '单位名录中没有{{unitCode}}',
  'problem.detail.apiKeyNotFound': '没有编号为{{id}}的API密钥',
  'problem.detail.unitUnreadable': '单位{{unitCode}}已写入，但暂时无法读回；请重试',
  'problem.detail.calendarNotSignalled': '{{year}}年的节假日安排已保存，但未能通知在办案件；请再次提交（PUT）',
  'problem.detail.calendarPartlySignalled':
    '{{year}}年的节假日安排已保存，{{signalled}}件在办案件正在重新计算期限，但有{{failed}}件未能通知；请再次提交（PUT）',
  'problem.detail.noCalendar':
    '没有{{year}}年的节假日安排：该年的期限仅将星期六、星期日视为休息日，并予以注明；可用PUT载入节假日安排',
  'problem.detail.periodReversed': '统计期间的起点query.from（{{from}}）须早于终点query.to（{{to}}）',
  'problem.detail.receivedInFuture': '收到时间（receivedAt）晚于当前时间',
  'problem.detail.idempotencyKeyReused': '该Idempotency-Key已用于另一个内容不同的请求',

  'case.accusedWithheld': '［被检举单位不予显示，《信访工作条例》第三十条］',
  'case.recordPending': '信访事项已登记；案件数据库恢复连接后即可查阅案件记录',
  'details.case': '**信访事项** {{caseNumber}}（`{{caseId}}`）',
  'details.matter': '**类型** {{kind}} · **渠道** {{channel}} · **类别** {{category}}',
  'details.region': '**行政区划** {{regionCode}} · **办理规则** {{profile}}',
  'details.received': '**收到时间** {{receivedAt, instant}}',
  'summary.case': '信访事项{{caseNumber}}：{{kind}}，{{channel}}，行政区划{{regionCode}}，办理规则{{profile}}',

  // Request validation: each names what the field must be.
  'validation.required': '必填',
  'validation.visible': '须含有可见字符，不能只有不可见字符或控制字符',
  'validation.minimum': '不得小于{{minimum}}',
  'validation.maximum': '不得大于{{maximum}}',
  'validation.minLength': '不得少于{{minimum}}个字符',
  'validation.maxLength': '不得多于{{maximum}}个字符',
  'validation.wholeNumber': '须为整数',
  'validation.boolean': '须为true或false',
  'validation.date': '须为日期，格式为YYYY-MM-DD',
  'validation.dateOrInstant': '须为日期YYYY-MM-DD（北京时间），或带时区偏移的ISO 8601日期时间',
  'validation.notBefore': '不得早于{{earliest}}',
  'validation.from1970': '须不早于1970年',
  'validation.year': '须为四位数年份',
  'validation.residentId': '须为18位公民身份号码',
  'validation.phone': '须为电话号码',
  'validation.category': '须为类别代码，如housing、public_security',
  'validation.regionCode': '须为6位行政区划代码',
  'validation.unitRegionCode': '须为6位、9位或12位行政区划代码',
  'validation.regionPrefix': '须为行政区划代码的前若干位数字',
  'validation.hotspotRegionPrefix': '须为2位、4位或6位数字：省、市或县（区）',
  'validation.unitCode': '须为单位代码，如330106-GA',
  'validation.unitNotInDirectory': '单位{{unitCode}}不在单位名录中',
  'validation.caseId': '须为案件编号',
  'validation.actionId': '须为8至100个字母、数字或 . _ : -',
  'validation.idempotencyKey': '须为不含空格的可打印ASCII字符',
  'validation.trackingCode': '须为12位查询码',
  'validation.pin': '须为6位数字密码',
  'validation.noticeFile': '须为文书编号加“.pdf”',
  'validation.noticeId': '须为文书编号，如<caseId>:reply:0',
  'validation.supervisionItem': '须为督办事项编号，如S1',
  'validation.cursor': '不是本接口给出的翻页游标',
  'validation.representatives':
    '多人采用走访形式提出信访事项的，推选的代表不得超过{{maximum}}人（《信访工作条例》第二十条）',
  'validation.accusedOnlyInReports':
    '被检举单位和人员仅适用于检举控告类信访事项（kind为report，《信访工作条例》第三十条），不适用于{{kind}}',
  'validation.accusedRequired': '须至少列明一个被检举单位或人员',
  'validation.legalBasisRequired': '处理意见书应当载明处理意见的法律依据（《信访工作条例》第三十二条）',
  'validation.undeliverableNoService': '无法送达的文书不登记送达日期和方式',
  'validation.apiKeyId': '须为API密钥编号',
  'validation.departmentKeyNeedsUnit': '部门密钥须绑定单位',
  'validation.onlyDepartmentKeysBound': '只有部门密钥绑定单位，{{role}}密钥不绑定单位',
  'validation.httpUrl': '须为http或https网址',
  'validation.urlCredentials': '网址中不得含有用户名和密码（user:password@）；Webhook以该单位的Webhook密钥签名',
  'validation.ruleId': '须为1至80个字母、数字或 _ . -',
  'validation.ruleListedTwice': '规则编号{{id}}重复',
  'validation.dateNotInYear': '{{date}}不在{{year}}年内',
  'validation.workdayOnWeekday': '{{date}}本是工作日；调休工作日应为星期六或星期日',
  'validation.holidayAndWorkday': '{{date}}同时被列为节假日和调休工作日',
  'validation.duplicateKey': '键“{{key}}”重复：JSON对象中每个键只能出现一次',

  // The directory's consistency (domain/directory.ts checkDirectory).
  'directory.unitListedTwice': '单位{{unit}}重复',
  'directory.unknownLevel': '单位{{unit}}的层级“{{level}}”无法识别',
  'directory.unknownRole': '单位{{unit}}的角色“{{role}}”无法识别',
  'directory.unknownParent': '单位{{unit}}的上级机关{{parent}}不存在',
  'directory.parentAtLowerLevel': '单位{{unit}}（{{level}}）的上级机关{{parent}}层级较低（{{parentLevel}}）',
  'directory.cycle': '单位{{unit}}的上级机关形成循环',
  'directory.ruleListedTwice': '规则{{rule}}重复',
  'directory.ruleUnknownUnit': '规则{{rule}}指向不存在的单位{{unit}}',

  // What each statistic counts (GET /v1/stats, `definitions`).
  'stats.period':
    '[from, to)。只写日期不写时间的，指北京时间的整日：from=2026-03-01&to=2026-03-31即3月。缺省时：to为当前时间，from为to所在月份的第一日。',
  'stats.received': '统计期间内转送或交办至该单位的案件数，同一案件只计一次（时间线类型transferred、assigned）。',
  'stats.responseRate':
    '在收到的案件中，该单位在签收期限（C3）内签收（或直接受理）的案件所占比例：须在案件转至其他单位之前作出，且此前未记录针对该单位签收期限的督办。签收可在统计期间之后。分母为收到的案件数；仍在C3期限内的案件计为尚未响应。',
  'stats.onTimeRate':
    '在该单位于统计期间内报送的办理结果中，于办理期限（C5）届满前报送的所占比例：自案件到达该单位至报送结果期间，未记录针对该单位办理期限的督办。期限以流程自身的期限为准，经批准的延期、交办期限和节假日安排的变更均计入。',
  'stats.resolutionRate':
    '在以该单位为主办单位、于统计期间内办结（未申请复查）或终结（经复查或复核）的案件中，最终处理意见为支持或解释说明的案件所占比例（诉求得到满足，或已就政策作出解释且信访人未再提出，或复查、复核机关维持原意见）。撤回、合并和不予受理的案件不计入。',
  'stats.satisfactionRate':
    '在统计期间内对该单位送达的答复作出的评价中，评价为满意或基本满意（satisfied、basically_satisfied）的所占比例。未在评价期限内评价的案件不计入。',
  'stats.overdue': '截至asOf的即时数，与统计期间无关：该单位（主办、协办或复查复核单位）现有的已逾期在办案件数。',
  'stats.escalated': '截至asOf的即时数，与统计期间无关：该单位现有的督办升级层级为1级及以上的在办案件数。',
  'stats.executionRate':
    '在该单位于统计期间内报告的支持性处理意见执行情况（督促执行，《信访工作条例》第三十二条）中，于答复确定的日期前报告的所占比例（时间线execution_reported且未标注late）。',
  'stats.redo':
    '统计期间内信访工作机构退回该单位重新办理的案件数（退回重办，因评价为不满意；时间线returned_for_redo）。',
  'stats.satisfactionAfterRedo':
    '在统计期间内对该单位重新办理后送达的答复作出的评价中，评价为满意或基本满意的所占比例。',
  'stats.groupPetitions': '统计期间内登记为集体访的案件数（五人以上，或推选了代表；《信访工作条例》第二十条）。',
  'stats.urgent':
    '统计期间内登记为重大、紧急信访事项的案件数（《信访工作条例》第二十二条第一款、第二十五条），包括登记时标注的和此后由信访工作机构标注的。',
  'stats.hotspots': '此处不统计：GET /v1/stats/hotspots列出某一地区在一定时间内相似的在办案件群。',
} as const;
