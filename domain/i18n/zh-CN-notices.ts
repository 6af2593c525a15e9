/**
 * The statutory notices (domain/notices) in Simplified Chinese: titles, the sentences of each body, and the rights
 * each notice tells its addressee. Citations (`{{basis}}`) are written by `cite` from article numbers.
 */
export const zhCNNotices = {
  'notice.addressee': '{{name}}：',
  'notice.intro':
    '你于{{receivedOn, localDate}}{{channel}}反映的信访事项（信访事项编号：{{caseNumber}}）已收悉。你的诉求是：{{request}}。',
  'notice.rights.until': '（截至{{dueAt, dueEnd}}）',
  'notice.organ.litigation': '有管辖权的人民法院',
  'notice.organ.procuratorate': '人民检察院',
  'notice.organ.arbitration': '依法设立的仲裁机构',
  'notice.organ.administrativeReconsideration': '依法履行行政复议职责的行政机关',
  'notice.organ.discipline': '纪检监察机关',
  'notice.organ.peoplesCongress': '本级人民代表大会常务委员会',
  'notice.organ.other': '有权处理的机关',
  'notice.procedure.other': '法律、行政法规规定的程序',
  'notice.issuer.office': '信访工作机构',
  'notice.procedure.otherAdministrative': '行政处理',
  'notice.organ.nextLevel': '原办理机关的上一级机关',
  'notice.assistance': '如你确有实际困难，可以向当地有关部门申请社会救助或者法律援助（{{basis}}）。',

  'notice.acceptance.title': '信访事项受理告知书',
  'notice.acceptance.decision':
    '经审查，该事项属于本机关职权范围。根据{{basis}}的规定，本机关决定予以受理，受理日期为{{acceptedOn, localDate}}。',
  'notice.acceptance.handling':
    '本机关将自受理之日起{{period}}内办结（截至{{dueAt, dueEnd}}），并书面答复你。情况复杂需要延长办理期限的，本机关将书面告知你延期理由。',
  'notice.acceptance.tracking': '你可以凭信访事项查询码{{trackingCode}}查询办理进展，并对办理结果进行评价。',
  'notice.acceptance.trackingOnline': '你可以通过网上信访平台查询办理进展，并对办理结果进行评价。',

  'notice.notAccepted.title': '信访事项不予受理告知书',
  'notice.notAccepted.decision': '经审查，{{reason}}。根据{{basis}}的规定，本机关对该信访事项不予受理。',
  'notice.notAcceptedAgain.title': '信访事项不再受理告知书',
  'notice.notAcceptedAgain.decision':
    '经审查，你反映的事项与已经办理终结的信访事项（信访事项编号：{{earlierCaseNumber}}）系同一事实和理由。根据{{basis}}的规定，本机关不再受理。',

  'notice.route.litigation': '你可以依法向{{organ}}提起诉讼。',
  'notice.route.procuratorate': '你可以依法向{{organ}}提出控告、申诉或者申请法律监督。',
  'notice.route.arbitration': '你可以依法向{{organ}}申请仲裁。',
  'notice.route.administrativeReconsideration': '你可以依法向{{organ}}申请行政复议。',
  'notice.route.partyAppeal': '你可以依照党内法规向{{organ}}提出申诉。',
  'notice.route.administrativeProcedure': '你可以依法向{{organ}}申请{{procedure}}。',
  'notice.route.discipline': '你可以向{{organ}}提出检举控告。',
  'notice.route.peoplesCongress': '你可以向{{organ}}反映。',
  'notice.route.other': '你可以依照{{procedure}}，向{{organ}}提出。',
  'notice.procedure.litigation': '诉讼程序',
  'notice.procedure.arbitration': '仲裁程序',
  'notice.procedure.administrativeReconsideration': '行政复议程序',
  'notice.procedure.partyAppeal': '党员申诉程序',
  'notice.procedure.administrativeProcedure': '{{procedure}}程序',

  'notice.transfer.title': '信访事项转送告知书',
  'notice.transfer.decision':
    '根据“属地管理、分级负责，谁主管、谁负责”的原则和{{basis}}的规定，本机关已于{{transferredOn, localDate}}将该信访事项转送{{unit}}办理。',
  'notice.assign.title': '信访事项交办告知书',
  'notice.assign.decision':
    '根据{{basis}}的规定，本机关已于{{transferredOn, localDate}}将该信访事项交由{{unit}}办理，并要求其于{{dueAt, dueEnd}}前办结、报告办理结果。',
  'notice.transfer.rights': '{{unit}}应当自收到之日起{{period}}内书面告知你是否受理。你可以向{{unit}}了解办理情况。',

  'notice.extension.title': '信访事项延长办理期限告知书',
  'notice.extension.decision':
    '本机关于{{acceptedOn, localDate}}受理该事项后，因{{reason}}，未能在原定期限（{{previousDueAt, dueEnd}}）内办结。根据{{basis}}的规定，经本机关负责人批准，办理期限延长{{days}}日，至{{dueAt, dueEnd}}。',
  'notice.extension.rights': '本机关将在延长后的期限内办结，并书面答复你。',

  'notice.opinion.intro':
    '你于{{receivedOn, localDate}}{{channel}}反映的信访事项（信访事项编号：{{caseNumber}}），本机关已于{{acceptedOn, localDate}}受理。经调查核实，现将处理意见告知如下：',
  'notice.reviewOpinion.intro':
    '你不服{{originalIssuer}}于{{originalIssuedOn, localDate}}作出的《{{originalTitle}}》（{{originalNumber}}），于{{requestedOn, localDate}}向本机关请求复查（信访事项编号：{{caseNumber}}）。本机关依法进行了复查，现将复查意见告知如下：',
  'notice.reReviewOpinion.intro':
    '你不服{{originalIssuer}}于{{originalIssuedOn, localDate}}作出的《{{originalTitle}}》（{{originalNumber}}），于{{requestedOn, localDate}}向本机关请求复核（信访事项编号：{{caseNumber}}）。本机关依法进行了复核，现将复核意见告知如下：',
  'notice.reReviewOpinion.hearing': '本机关于{{hearingOn, localDate}}举行了听证，听取了各方意见。',
  'notice.heading.request': '一、信访诉求',
  'notice.heading.reviewRequest': '一、复查请求',
  'notice.heading.reReviewRequest': '一、复核请求',
  'notice.heading.facts': '二、事实和理由',
  'notice.heading.reviewFacts': '二、复查认定的事实和理由',
  'notice.heading.reReviewFacts': '二、复核认定的事实和理由',
  'notice.heading.decision': '三、处理意见',
  'notice.heading.reviewDecision': '三、复查意见',
  'notice.heading.reReviewDecision': '三、复核意见',
  'notice.heading.basis': '四、法律依据',
  'notice.heading.rights': '五、权利告知',
  'notice.opinion.request': '{{request}}。',
  'notice.opinion.execution': '本机关将于{{dueAt, dueEnd}}前落实以下事项：{{measures}}',
  'notice.opinion.basis': '本意见依据{{legalBasis}}和{{procedure}}作出。',
  'notice.rights.review':
    '你如对本处理意见不服，可以自收到本意见书之日起{{days}}日内{{until}}向{{organ}}请求复查（{{basis}}）。',
  'notice.rights.reReview':
    '你如对本复查意见不服，可以自收到本意见书之日起{{days}}日内{{until}}向{{organ}}请求复核（{{basis}}）。',
  'notice.rights.final':
    '本复核意见为最终意见。你如仍以同一事实和理由提出信访事项，各级信访工作机构和其他机关、单位不再受理（{{basis}}）。',

  'notice.termination.title': '信访事项终结告知书',
  'notice.termination.afterReReview':
    '该信访事项已经{{issuer}}复核，并于{{issuedOn, localDate}}出具《{{title}}》（{{number}}）。根据{{basis}}的规定，该信访事项办理终结。',
  'notice.termination.afterReview':
    '该信访事项已经{{issuer}}复查，并于{{issuedOn, localDate}}出具《{{title}}》（{{number}}），你未在规定期限内请求复核。根据{{basis}}的规定，该信访事项办理终结。',
  'notice.termination.finality': '你如仍以同一事实和理由提出信访事项，各级信访工作机构和其他机关、单位不再受理。',

  'notice.diversion.title': '信访事项导入法定程序告知书',
  'notice.diversion.decision':
    '经审查，你反映的事项依法应当通过{{procedure}}解决。根据{{basis}}的规定，本机关将该事项导入{{procedure}}，不再按照信访程序办理。',
  'notice.diversion.limitation': '上述程序有法定期限的，请你在期限内提出，以免影响你的权利。',

  'notice.consultation.title': '信访咨询答复书',
  'notice.consultation.intro':
    '你于{{receivedOn, localDate}}{{channel}}咨询的事项（信访事项编号：{{caseNumber}}）已收悉。你咨询的问题是：{{request}}。',
  'notice.consultation.answer': '现答复如下：{{answer}}',
  'notice.consultation.basis': '以上答复依据{{basis}}。',
  'notice.consultation.rights': '本次咨询已答复办结，不适用复查、复核程序。你可以对本次答复进行满意度评价{{until}}。',

  'notice.suggestion.title': '信访事项建议意见答复书',
  'notice.suggestion.intro':
    '你于{{receivedOn, localDate}}{{channel}}提出的{{matterKind}}（信访事项编号：{{caseNumber}}）已收悉。你的{{matterKind}}是：{{request}}。',
  'notice.matterKind.suggestion': '建议',
  'notice.matterKind.opinion': '意见',
  'notice.suggestion.adopted': '本机关对你的{{matterKind}}进行了认真研究，决定予以采纳。',
  'notice.suggestion.partly_adopted': '本机关对你的{{matterKind}}进行了认真研究，决定部分采纳。',
  'notice.suggestion.not_adopted': '本机关对你的{{matterKind}}进行了认真研究，决定暂不采纳。',
  'notice.suggestion.reasons': '理由如下：{{reasons}}',
  'notice.suggestion.measures': '采纳情况：{{measures}}',
  'notice.suggestion.contribution': '你的{{matterKind}}对推动有关工作作出了贡献，本机关将依照有关规定给予奖励。',
  'notice.suggestion.basis': '根据{{basis}}的规定，特此答复。感谢你对本机关工作的关心和支持。',
  'notice.suggestion.rights': '本答复不适用复查、复核程序。你可以对本次答复进行满意度评价。',

  'notice.report.title': '检举控告处理结果告知书',
  'notice.report.intro':
    '你于{{receivedOn, localDate}}{{channel}}提出的检举控告（信访事项编号：{{caseNumber}}）已收悉。你反映的主要问题是：{{request}}。',
  'notice.report.result': '本机关依照有关规定对你反映的问题进行了核查处理，现将处理结果告知如下：{{result}}',
  'notice.report.confidential':
    '根据{{basis}}的规定，本机关对你的身份信息和检举控告内容严格保密，不会将检举控告材料透露或者转给被检举控告的人员或者单位。',
  'notice.report.rights':
    '本事项依照检举控告处理程序办理，不适用信访复查、复核程序。你如对处理结果有异议，可以向本机关或者其上级机关反映。',

  'notice.mediation.title': '信访事项调解协议书',
  'notice.settlement.title': '信访事项和解协议书',
  'notice.party.petitioner': '甲方（信访人）：{{name}}',
  'notice.party.other': '乙方：{{name}}',
  'notice.party.mediator': '调解单位：{{name}}',
  'notice.mediation.intro':
    '甲方于{{receivedOn, localDate}}{{channel}}反映的信访事项（信访事项编号：{{caseNumber}}），诉求为：{{request}}。',
  'notice.mediation.mediated': '经{{mediator}}主持调解，双方在平等自愿的基础上，根据{{basis}}的规定，达成如下协议：',
  'notice.mediation.settled': '双方经平等协商，根据{{basis}}的规定，自愿达成如下和解协议：',
  'notice.mediation.term': '{{number, article}}、{{term}}。',
  'notice.mediation.effect':
    '本协议自双方签字之日起生效，一式三份，双方及{{keeper}}各执一份。协议履行完毕后，该信访事项办结。',
  'notice.mediation.rights': '一方不履行本协议的，另一方可以向{{keeper}}反映，由其督促履行。',
  'notice.signature.petitioner': '甲方（签字）：',
  'notice.signature.other': '乙方（签字或者盖章）：',
  'notice.signature.mediator': '调解单位（盖章）：',

  'notice.supervision.title': '信访事项督办函',
  'notice.supervision.matter':
    '本机关于{{transferredOn, localDate}}转送（交办）你单位办理的信访事项（信访事项编号：{{caseNumber}}），反映的问题是：{{subject}}。',
  'notice.supervision.finding': '经查，{{reason}}。',
  'notice.supervision.findingDetail': '经查，{{reason}}：{{detail}}。',
  'notice.supervision.reason.delay': '该事项逾期未办结',
  'notice.supervision.reason.evasion': '你单位存在推诿问题',
  'notice.supervision.reason.perfunctory': '你单位存在敷衍塞责问题',
  'notice.supervision.reason.falsification': '你单位存在弄虚作假问题',
  'notice.supervision.reason.nonExecution': '处理意见未得到落实',
  'notice.supervision.reason.other': '该事项办理中存在问题',
  'notice.supervision.demand':
    '根据{{basis}}的规定，现予督办。请你单位高度重视，认真办理，并于{{replyDueAt, dueEnd}}前将办理情况书面报送本机关。',
  'notice.supervision.escalation': '逾期未报送的，本机关将按照规定提请上一级机关督办，并可以提出追责建议。',
} as const;
