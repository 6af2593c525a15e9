/** The statutory notices (domain/notices) in English: the same keys and placeholders as ./zh-CN-notices.ts. */
export const enNotices = {
  'notice.addressee': '{{name}}:',
  'notice.intro':
    'We have received the matter you raised {{channel}} on {{receivedOn, localDate}} (case number {{caseNumber}}). Your request: {{request}}.',
  'notice.rights.until': ' (until {{dueAt, dueEnd}})',
  'notice.organ.litigation': 'the competent people’s court',
  'notice.organ.procuratorate': 'the people’s procuratorate',
  'notice.organ.arbitration': 'an arbitration institution established by law',
  'notice.organ.administrativeReconsideration':
    'the administrative organ responsible for administrative reconsideration',
  'notice.organ.discipline': 'the discipline inspection and supervision organs',
  'notice.organ.peoplesCongress': 'the standing committee of the people’s congress at this level',
  'notice.organ.other': 'the organ competent to handle it',
  'notice.procedure.other': 'the procedure laid down by laws and administrative regulations',
  'notice.issuer.office': 'the petition office',
  'notice.procedure.otherAdministrative': 'administrative handling',
  'notice.organ.nextLevel': 'the unit above the one that handled it',
  'notice.assistance':
    'If you face real hardship, you may apply locally for social assistance or legal aid ({{basis}}).',

  'notice.acceptance.title': 'Notice of Acceptance',
  'notice.acceptance.decision':
    'The matter is within our remit. Under {{basis}} we accept it, as of {{acceptedOn, localDate}}.',
  'notice.acceptance.handling':
    'We will conclude it within {{period}} of acceptance (by {{dueAt, dueEnd}}) and answer you in writing. Should it need longer, we will tell you why in writing.',
  'notice.acceptance.tracking':
    'You can follow its progress and rate the result with the tracking code {{trackingCode}}.',
  'notice.acceptance.trackingOnline': 'You can follow its progress and rate the result online.',

  'notice.notAccepted.title': 'Notice of Non-acceptance',
  'notice.notAccepted.decision': 'Having examined it: {{reason}}. Under {{basis}} we do not accept the matter.',
  'notice.notAcceptedAgain.title': 'Notice that a Matter Is Not Accepted Again',
  'notice.notAcceptedAgain.decision':
    'The matter rests on the same facts and reasons as a concluded matter (case number {{earlierCaseNumber}}). Under {{basis}} we do not accept it again.',

  'notice.route.litigation': 'You may bring an action before {{organ}}.',
  'notice.route.procuratorate': 'You may complain to, petition, or ask for legal supervision by {{organ}}.',
  'notice.route.arbitration': 'You may apply to {{organ}} for arbitration.',
  'notice.route.administrativeReconsideration': 'You may apply to {{organ}} for administrative reconsideration.',
  'notice.route.partyAppeal': 'You may appeal to {{organ}} under the Party’s rules.',
  'notice.route.administrativeProcedure': 'You may apply to {{organ}} for {{procedure}}.',
  'notice.route.discipline': 'You may report the matter to {{organ}}.',
  'notice.route.peoplesCongress': 'You may raise the matter with {{organ}}.',
  'notice.route.other': 'You may raise it with {{organ}} under {{procedure}}.',
  'notice.procedure.litigation': 'litigation',
  'notice.procedure.arbitration': 'arbitration',
  'notice.procedure.administrativeReconsideration': 'administrative reconsideration',
  'notice.procedure.partyAppeal': 'a Party member’s appeal',
  'notice.procedure.administrativeProcedure': 'the procedure of {{procedure}}',

  'notice.transfer.title': 'Notice of Transfer',
  'notice.transfer.decision':
    'Under the principle of territorial and graded responsibility and {{basis}}, we transferred the matter to {{unit}} on {{transferredOn, localDate}}.',
  'notice.assign.title': 'Notice of Assignment',
  'notice.assign.decision':
    'Under {{basis}}, we assigned the matter to {{unit}} on {{transferredOn, localDate}}, to be concluded and reported on by {{dueAt, dueEnd}}.',
  'notice.transfer.rights':
    '{{unit}} is to tell you in writing within {{period}} of receiving it whether it accepts the matter. You may ask {{unit}} how it is progressing.',

  'notice.extension.title': 'Notice of Extension of the Handling Period',
  'notice.extension.decision':
    'Having accepted the matter on {{acceptedOn, localDate}}, we could not conclude it by {{previousDueAt, dueEnd}}, because: {{reason}}. Under {{basis}}, with the approval of our head, the handling period is extended by {{days}} days, to {{dueAt, dueEnd}}.',
  'notice.extension.rights': 'We will conclude it within the extended period and answer you in writing.',

  'notice.opinion.intro':
    'We accepted the matter you raised {{channel}} on {{receivedOn, localDate}} (case number {{caseNumber}}) on {{acceptedOn, localDate}}. Having investigated it, we give our opinion:',
  'notice.reviewOpinion.intro':
    'You disagreed with the {{originalTitle}} ({{originalNumber}}) that {{originalIssuer}} issued on {{originalIssuedOn, localDate}}, and asked us for a review on {{requestedOn, localDate}} (case number {{caseNumber}}). Having reviewed the matter, we give our review opinion:',
  'notice.reReviewOpinion.intro':
    'You disagreed with the {{originalTitle}} ({{originalNumber}}) that {{originalIssuer}} issued on {{originalIssuedOn, localDate}}, and asked us for a re-review on {{requestedOn, localDate}} (case number {{caseNumber}}). Having re-reviewed the matter, we give our re-review opinion:',
  'notice.reReviewOpinion.hearing': 'We held a hearing on {{hearingOn, localDate}} and heard all sides.',
  'notice.heading.request': '1. Your request',
  'notice.heading.reviewRequest': '1. Your request for review',
  'notice.heading.reReviewRequest': '1. Your request for re-review',
  'notice.heading.facts': '2. Facts and reasons',
  'notice.heading.reviewFacts': '2. Facts and reasons found on review',
  'notice.heading.reReviewFacts': '2. Facts and reasons found on re-review',
  'notice.heading.decision': '3. Opinion',
  'notice.heading.reviewDecision': '3. Review opinion',
  'notice.heading.reReviewDecision': '3. Re-review opinion',
  'notice.heading.basis': '4. Legal basis',
  'notice.heading.rights': '5. Your rights',
  'notice.opinion.request': '{{request}}.',
  'notice.opinion.execution': 'By {{dueAt, dueEnd}} we will do the following: {{measures}}',
  'notice.opinion.basis': 'This opinion rests on {{legalBasis}} and {{procedure}}.',
  'notice.rights.review':
    'If you disagree with this opinion, you may ask {{organ}} for a review within {{days}} days of receiving it{{until}} ({{basis}}).',
  'notice.rights.reReview':
    'If you disagree with this review opinion, you may ask {{organ}} for a re-review within {{days}} days of receiving it{{until}} ({{basis}}).',
  'notice.rights.final':
    'This re-review opinion is final. A matter raised again on the same facts and reasons will not be accepted by any petition office or other body ({{basis}}).',

  'notice.termination.title': 'Notice of Conclusion',
  'notice.termination.afterReReview':
    'The matter was re-reviewed by {{issuer}}, whose {{title}} ({{number}}) was issued on {{issuedOn, localDate}}. Under {{basis}} the matter is concluded.',
  'notice.termination.afterReview':
    'The matter was reviewed by {{issuer}}, whose {{title}} ({{number}}) was issued on {{issuedOn, localDate}}, and no re-review was asked for in time. Under {{basis}} the matter is concluded.',
  'notice.termination.finality':
    'A matter raised again on the same facts and reasons will not be accepted by any petition office or other body.',

  'notice.diversion.title': 'Notice of Diversion into a Statutory Procedure',
  'notice.diversion.decision':
    'The matter is to be resolved by {{procedure}}. Under {{basis}} we divert it into {{procedure}}; it is no longer handled as a petition.',
  'notice.diversion.limitation': 'Where that procedure has a time limit, act within it so as not to lose your rights.',

  'notice.consultation.title': 'Answer to an Enquiry',
  'notice.consultation.intro':
    'We have received the enquiry you made {{channel}} on {{receivedOn, localDate}} (case number {{caseNumber}}). Your question: {{request}}.',
  'notice.consultation.answer': 'Our answer: {{answer}}',
  'notice.consultation.basis': 'This answer rests on {{basis}}.',
  'notice.consultation.rights':
    'The enquiry is answered and closed; review and re-review do not apply to it. You may rate this answer{{until}}.',

  'notice.suggestion.title': 'Reply to a Suggestion or Opinion',
  'notice.suggestion.intro':
    'We have received the {{matterKind}} you made {{channel}} on {{receivedOn, localDate}} (case number {{caseNumber}}). Your {{matterKind}}: {{request}}.',
  'notice.matterKind.suggestion': 'suggestion',
  'notice.matterKind.opinion': 'opinion',
  'notice.suggestion.adopted': 'We have studied your {{matterKind}} and adopt it.',
  'notice.suggestion.partly_adopted': 'We have studied your {{matterKind}} and adopt it in part.',
  'notice.suggestion.not_adopted': 'We have studied your {{matterKind}} and do not adopt it for now.',
  'notice.suggestion.reasons': 'Our reasons: {{reasons}}',
  'notice.suggestion.measures': 'What we are doing: {{measures}}',
  'notice.suggestion.contribution':
    'Your {{matterKind}} contributed to this work; we will reward it as the rules provide.',
  'notice.suggestion.basis': 'We reply under {{basis}}. Thank you for your interest in our work.',
  'notice.suggestion.rights': 'Review and re-review do not apply to this reply. You may rate it.',

  'notice.report.title': 'Notice of the Result of a Report',
  'notice.report.intro':
    'We have received the report you made {{channel}} on {{receivedOn, localDate}} (case number {{caseNumber}}). You reported: {{request}}.',
  'notice.report.result': 'We have looked into what you reported as the rules provide. The result: {{result}}',
  'notice.report.confidential':
    'Under {{basis}} we keep your identity and your report strictly confidential, and never disclose or pass the report to the persons or units it concerns.',
  'notice.report.rights':
    'The report was handled under the procedure for reports; review and re-review of petitions do not apply. If you disagree with the result, you may tell us or the body above us.',

  'notice.mediation.title': 'Mediation Agreement',
  'notice.settlement.title': 'Settlement Agreement',
  'notice.party.petitioner': 'Party A (petitioner): {{name}}',
  'notice.party.other': 'Party B: {{name}}',
  'notice.party.mediator': 'Mediator: {{name}}',
  'notice.mediation.intro':
    'Party A raised a matter {{channel}} on {{receivedOn, localDate}} (case number {{caseNumber}}), asking: {{request}}.',
  'notice.mediation.mediated':
    'Mediated by {{mediator}}, the parties, freely and as equals, agree under {{basis}} as follows:',
  'notice.mediation.settled': 'Having negotiated as equals, the parties freely settle under {{basis}} as follows:',
  'notice.mediation.term': '{{number, article}}. {{term}}.',
  'notice.mediation.effect':
    'This agreement takes effect when both parties have signed it; each party and {{keeper}} keep one of three copies. When it has been carried out, the matter is concluded.',
  'notice.mediation.rights':
    'If one party does not keep to it, the other may tell {{keeper}}, which will see that it is kept.',
  'notice.signature.petitioner': 'Party A (signature):',
  'notice.signature.other': 'Party B (signature or seal):',
  'notice.signature.mediator': 'Mediator (seal):',

  'notice.supervision.title': 'Letter of Supervision',
  'notice.supervision.matter':
    'On {{transferredOn, localDate}} we sent you a matter to handle (case number {{caseNumber}}), about: {{subject}}.',
  'notice.supervision.finding': 'We find that {{reason}}.',
  'notice.supervision.findingDetail': 'We find that {{reason}}: {{detail}}.',
  'notice.supervision.reason.delay': 'the matter is overdue',
  'notice.supervision.reason.evasion': 'your unit has passed the matter on instead of handling it',
  'notice.supervision.reason.perfunctory': 'your unit has handled the matter perfunctorily',
  'notice.supervision.reason.falsification': 'your unit has reported what is not true',
  'notice.supervision.reason.nonExecution': 'the opinion has not been carried out',
  'notice.supervision.reason.other': 'there are problems with how the matter is handled',
  'notice.supervision.demand':
    'Under {{basis}} we are supervising the matter. Please give it your full attention and report to us in writing by {{replyDueAt, dueEnd}}.',
  'notice.supervision.escalation':
    'If no report arrives by then, we will refer the matter to the level above and may propose holding those responsible to account.',
} as const;
