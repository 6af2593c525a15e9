/** What the API itself says, in English: the same keys and placeholders as ./zh-CN-api.ts. */
export const enApi = {
  'problem.detail.fieldsSeparator': '; ',
  'problem.detail.caseNotFound': 'case {{caseId}} not found',
  'problem.detail.caseNoRecordYet': 'case {{caseId}} has no record yet',
  'problem.detail.unknownAction': 'no action {{action}}; actions: {{actions}}',
  'problem.detail.petitionerActions': 'petitioners may post {{actions}}',
  'problem.detail.pinThrottled':
    'too many wrong PINs for this tracking code from this client; try again in {{seconds}} s',
  'problem.detail.trackingNotFound': 'no case with this tracking code and PIN',
  'problem.detail.noticeNotFound': 'no notice with this ID for this tracking code',
  'problem.detail.trackingUnavailable': 'tracking is unavailable while the case store is unreachable; retry shortly',
  'problem.detail.caseBeingRegistered': 'the case is being registered; try again in a moment',
  'problem.detail.apiKeysUnavailable': 'API keys cannot be checked right now; retry shortly',
  'problem.detail.apiKeyRevoked': 'the API key is unknown or revoked',
  'problem.detail.wrongRole': 'this endpoint is for {{roles}}, not {{role}}',
  'problem.detail.rolesSeparator': ' or ',
  'problem.detail.rateLimitedKey':
    'this API key sent more than {{perSecond}} requests per second (burst {{burst}}); retry after {{seconds}} s',
  'problem.detail.rateLimitedAddress':
    'this address sent more than {{perSecond}} requests per second (burst {{burst}}); retry after {{seconds}} s',
  'problem.detail.invalidUtf8': 'the request body is not valid UTF-8',
  'problem.detail.contentType': 'the Content-Type header is "{{given}}"; this API accepts application/json',
  'problem.detail.contentTypeMissing': 'the Content-Type header is missing; send application/json',
  'problem.detail.noInbox': 'no inbox {{unitCode}} for this key',
  'problem.detail.unitNotFound': 'no unit {{unitCode}} in the directory',
  'problem.detail.apiKeyNotFound': 'no API key {{id}}',
  'problem.detail.unitUnreadable': 'unit {{unitCode}} was written but cannot be read back; retry',
  'problem.detail.calendarNotSignalled':
    'the calendar for {{year}} is saved, but open cases could not be told; PUT it again',
  'problem.detail.calendarPartlySignalled':
    'the calendar for {{year}} is saved and {{signalled}} open cases recompute their deadlines, but {{failed}} could not be told; PUT it again',
  'problem.detail.noCalendar':
    'no holiday schedule for {{year}}: its deadlines count only Saturdays and Sundays as rest days and say so; load one with PUT',
  'problem.detail.periodReversed': 'query.from ({{from}}) must be before query.to ({{to}})',
  'problem.detail.receivedInFuture': 'receivedAt lies in the future',
  'problem.detail.idempotencyKeyReused': 'this Idempotency-Key was already used with a different request body',

  'case.accusedWithheld': '[accused unit withheld, Art 30]',
  'case.recordPending': 'the case is registered; its record will be readable once the case store is reachable',
  'details.case': '**Case** {{caseNumber}} (`{{caseId}}`)',
  'details.matter': '**Kind** {{kind}} · **Channel** {{channel}} · **Category** {{category}}',
  'details.region': '**Region** {{regionCode}} · **Profile** {{profile}}',
  'details.received': '**Received** {{receivedAt, instant}}',
  'summary.case': 'Case {{caseNumber}}: {{kind}} by {{channel}}, region {{regionCode}}, profile {{profile}}',

  'validation.required': 'required',
  'validation.visible': 'must contain visible characters, not only invisible or control characters',
  'validation.minimum': 'must be at least {{minimum}}',
  'validation.maximum': 'must be at most {{maximum}}',
  'validation.minLength': 'must be at least {{minimum}} characters',
  'validation.maxLength': 'must be at most {{maximum}} characters',
  'validation.wholeNumber': 'must be a whole number',
  'validation.boolean': 'must be true or false',
  'validation.date': 'must be a date YYYY-MM-DD',
  'validation.dateOrInstant': 'must be a date YYYY-MM-DD (Asia/Shanghai) or an ISO 8601 date-time with offset',
  'validation.notBefore': 'must be {{earliest}} or later',
  'validation.from1970': 'must be in 1970 or later',
  'validation.year': 'must be a four-digit year',
  'validation.residentId': 'must be an 18-character resident ID number',
  'validation.phone': 'must be a phone number',
  'validation.category': 'must be a category code such as housing or public_security',
  'validation.regionCode': 'must be a 6-digit administrative division code',
  'validation.unitRegionCode': 'must be a 6-, 9- or 12-digit administrative division code',
  'validation.regionPrefix': 'must be the leading digits of a region code',
  'validation.hotspotRegionPrefix': 'must be 2, 4 or 6 digits: a province, a city, or a county or district',
  'validation.unitCode': 'must be a unit code such as 330106-GA',
  'validation.unitNotInDirectory': 'unit {{unitCode}} is not in the directory',
  'validation.caseId': 'must be a case ID',
  'validation.actionId': 'must be 8 to 100 letters, digits or . _ : -',
  'validation.idempotencyKey': 'must be printable ASCII without spaces',
  'validation.trackingCode': 'must be a 12-character tracking code',
  'validation.pin': 'must be the 6-digit PIN',
  'validation.noticeFile': 'must be a notice ID followed by .pdf',
  'validation.noticeId': 'must be a notice ID such as <caseId>:reply:0',
  'validation.supervisionItem': 'must be a supervision item such as S1',
  'validation.cursor': 'is not a cursor this API handed out',
  'validation.representatives': 'a group petition has at most {{maximum}} representatives (Art 20)',
  'validation.accusedOnlyInReports':
    'accused units and persons belong to reports (kind report, Art 30), not to a {{kind}}',
  'validation.accusedRequired': 'name at least one accused unit or person',
  'validation.legalBasisRequired': 'a written reply states the legal basis of its decision (Art 32)',
  'validation.undeliverableNoService': 'an undeliverable notice has no service',
  'validation.apiKeyId': 'must be an API key ID',
  'validation.departmentKeyNeedsUnit': 'a department key must be bound to a unit',
  'validation.onlyDepartmentKeysBound': 'only department keys are bound to a unit, not {{role}} keys',
  'validation.httpUrl': 'must be an http or https URL',
  'validation.urlCredentials':
    'must not carry credentials (user:password@); webhooks are signed with the unit’s webhook secret',
  'validation.ruleId': 'must be 1 to 80 letters, digits or _ . -',
  'validation.ruleListedTwice': 'rule id {{id}} is listed twice',
  'validation.dateNotInYear': '{{date}} is not in {{year}}',
  'validation.workdayOnWeekday': '{{date}} is a weekday; make-up working days are Saturdays or Sundays',
  'validation.holidayAndWorkday': '{{date}} is listed both as a holiday and as a make-up working day',
  'validation.duplicateKey': 'duplicate key "{{key}}": a JSON object names each key once',

  'directory.unitListedTwice': 'unit {{unit}} is listed twice',
  'directory.unknownLevel': 'unit {{unit}} has unknown level "{{level}}"',
  'directory.unknownRole': 'unit {{unit}} has unknown role "{{role}}"',
  'directory.unknownParent': 'unit {{unit}} has unknown parent {{parent}}',
  'directory.parentAtLowerLevel': 'unit {{unit}} ({{level}}) has parent {{parent}} at the lower level {{parentLevel}}',
  'directory.cycle': 'unit {{unit}} has a cycle in its superiors',
  'directory.ruleListedTwice': 'rule {{rule}} is listed twice',
  'directory.ruleUnknownUnit': 'rule {{rule}} points at unknown unit {{unit}}',

  'stats.period':
    '[from, to). A date without a time is a whole day in Asia/Shanghai: from=2026-03-01&to=2026-03-31 is March. Defaults: to = now, from = the first day of the month that contains to.',
  'stats.received':
    'Distinct cases transferred or assigned to the unit during the period (timeline types transferred, assigned).',
  'stats.responseRate':
    'Of the cases received, those the unit acknowledged (or accepted outright) within the acknowledge clock (C3): the case answered before it moved to another unit, and no supervision of the acknowledge clock against the unit was recorded first. The answer may come after the period. Denominator: received; cases still within C3 count as not yet responded.',
  'stats.onTimeRate':
    "Of the results the unit submitted during the period, those submitted before the handling deadline (C5): no supervision of the handling clock against the unit was recorded between the case reaching the unit and the result. The deadline is the workflow's own, so approved extensions, assignment deadlines and calendar changes count.",
  'stats.resolutionRate':
    'Of the cases whose lead unit is the unit and that ended during the period as resolved (no review asked) or terminated (after review or re-review), those whose final decision is support or explain (the request was met, or the policy was explained and the petitioner pursued it no further or the reviewers upheld the answer). Withdrawn, merged and not-accepted cases are left out.',
  'stats.satisfactionRate':
    'Of the ratings given during the period for replies the unit delivered, those satisfied or basically_satisfied. Cases not rated within the rating window are left out.',
  'stats.overdue':
    'Snapshot at asOf, whatever the period: open cases with the unit (lead, co-handler or reviewer) that are overdue now.',
  'stats.escalated':
    'Snapshot at asOf, whatever the period: open cases with the unit whose escalation level is 1 or more.',
  'stats.executionRate':
    'Of the executions of supported decisions (督促执行, Art 32) the unit reported during the period, those reported by the date the reply set (timeline execution_reported without late).',
  'stats.redo':
    'Cases the office returned to the unit for redo during the period (退回重办, after a dissatisfied rating; timeline returned_for_redo).',
  'stats.satisfactionAfterRedo':
    'Of the ratings given during the period for a reply the unit delivered after a redo, those satisfied or basically_satisfied.',
  'stats.groupPetitions':
    'Cases registered during the period as group petitions (five or more people, or with representatives; Art 20).',
  'stats.urgent':
    'Cases registered during the period as major or urgent (Art 22(1), 25), at intake or marked by the office since.',
  'stats.hotspots':
    'Not counted here: GET /v1/stats/hotspots lists the groups of similar open cases in a region and a time window.',
} as const;
