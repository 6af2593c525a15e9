/**
 * Likely repeats of one case, from the similarity index, for the office's decision to attach, refuse as the same facts
 * and reasons (Art 36), or keep. No petitioner identity is ever in the answer.
 */
import { z } from 'zod';
import { message } from '../../domain/i18n';
import { STAGES } from '../../domain/types';
import type { Store } from '../../store/models';
import type { Sealer } from '../../store/sealed';
import { findRepeatCandidates, REPEAT_SEARCH_DEFAULTS } from '../../similarity/repeats';
import { LIKELY_REPEAT } from '../../similarity/score';
import { problems } from '../problem';
import { defineRoute } from '../route';
import { CaseIdParams, problemResponse, security, wholeNumber } from '../schemas';

export const RepeatCandidatesQuery = z
  .object({
    withinDays: wholeNumber(1, 1095).default(REPEAT_SEARCH_DEFAULTS.withinDays).openapi({
      type: 'integer',
      description:
        "How far back to look in the case's regions; the petitioner's own cases are searched whenever filed.",
    }),
    limit: wholeNumber(1, 50).default(REPEAT_SEARCH_DEFAULTS.limit).openapi({ type: 'integer' }),
  })
  .strict();

const IsoInstant = z.string().openapi({ format: 'date-time' });

const RepeatCandidate = z
  .object({
    caseId: z.string(),
    caseNumber: z.string(),
    subject: z.string(),
    kind: z.string(),
    category: z.string(),
    regionCode: z.string(),
    registeredAt: IsoInstant,
    stage: z.enum(STAGES),
    open: z.boolean(),
    ended: z.boolean(),
    overdue: z.boolean().openapi({
      description: 'Past a statutory deadline: a repeat is recorded against it, not merged into it.',
    }),
    score: z.number().openapi({ description: '0–1; text similarity raised by the corroborating facts in `reasons`.' }),
    likelyRepeat: z.boolean().openapi({ description: `score ≥ ${LIKELY_REPEAT}` }),
    exactRepeat: z.boolean().openapi({ description: 'The same petitioner and the same words.' }),
    reasons: z.object({
      textSimilarity: z.number(),
      sharedTerms: z.array(z.string()).openapi({ description: 'The shared words that weigh most.' }),
      samePetitioner: z.boolean().openapi({ description: 'An ID or phone number in common (compared as digests).' }),
      sameWords: z.boolean(),
      region: z.enum(['same', 'parent', 'child', 'same_city', 'same_province', 'other']),
      sameCategory: z.boolean(),
      daysApart: z.number(),
    }),
  })
  .openapi('RepeatCandidate');

const RepeatCandidatesResponse = z
  .object({
    caseId: z.string(),
    likelyRepeatThreshold: z.number(),
    candidates: z.array(RepeatCandidate),
    searched: z.object({
      regionCodes: z.array(z.string()),
      from: IsoInstant,
      to: IsoInstant,
      persons: z.number().int().openapi({ description: 'Identities of the petitioner compared (ID, phone).' }),
      cases: z.number().int().openapi({ description: 'Cases read from the index and compared.' }),
    }),
  })
  .openapi('RepeatCandidates', {
    example: {
      caseId: '01KAYQ5J4Q3Z7X9V2N8M6P4R2T',
      likelyRepeatThreshold: LIKELY_REPEAT,
      candidates: [
        {
          caseId: '01KAT0Q2B8Y4V6W3X9Z1M5N7P2',
          caseNumber: 'XF-330106-20261120-M5N7P2',
          subject: '文三路万科工地夜间施工噪音扰民',
          kind: 'complaint',
          category: 'environment',
          regionCode: '330106',
          registeredAt: '2026-11-20T01:12:00.000Z',
          stage: 'accepted',
          open: true,
          ended: false,
          overdue: false,
          score: 0.56,
          likelyRepeat: true,
          exactRepeat: false,
          reasons: {
            textSimilarity: 0.433,
            sharedTerms: ['学院路', '万科', '夜间', '打桩'],
            samePetitioner: false,
            sameWords: false,
            region: 'same',
            sameCategory: true,
            daysApart: 6,
          },
        },
      ],
      searched: {
        regionCodes: ['330106', '330100', '330000'],
        from: '2025-11-26T02:15:00.000Z',
        to: '2026-11-26T02:15:00.000Z',
        persons: 1,
        cases: 812,
      },
    },
  });

export const repeatCandidatesRoute = defineRoute({
  method: 'get',
  path: '/v1/cases/{caseId}/repeat-candidates',
  roles: ['office'],
  summary: 'Likely repeats of a case, for the office to attach, refuse (Art 36) or keep as new',
  description:
    "Earlier cases of the case's region, the regions above it (and below a city or province code) within `withinDays`, " +
    'and every earlier case of the same petitioner, ranked by the similarity of request and content (Chinese word ' +
    'segmentation) corroborated by petitioner, region, category and time. Each candidate says where it stands now. ' +
    'Petitioners are compared by keyed digests; no identity is in the answer.',
  tags: ['office'],
  security: security.apiKey,
  request: { params: CaseIdParams, query: RepeatCandidatesQuery },
  responses: {
    200: {
      description: 'Candidates, best first',
      content: { 'application/json': { schema: RepeatCandidatesResponse } },
    },
    400: problemResponse('Invalid case ID or query'),
    401: problemResponse('No or unknown API key'),
    403: problemResponse('Only the petition office sees repeat candidates'),
    404: problemResponse('No record of this case (yet)'),
    429: problemResponse('Too many requests; see Retry-After'),
    503: problemResponse('API keys cannot be checked right now'),
  },
  handler: async ({ params, query }, deps: { store: Store; sealer: Sealer }) => {
    const found = await findRepeatCandidates(deps, params.caseId, query);
    if (!found) throw problems.notFound(message('problem.detail.caseNoRecordYet', { caseId: params.caseId }));
    const { candidates, searched } = found;
    return {
      ...found,
      likelyRepeatThreshold: LIKELY_REPEAT,
      candidates: candidates.map((candidate) => ({ ...candidate, registeredAt: candidate.registeredAt.toISOString() })),
      searched: { ...searched, from: searched.from.toISOString(), to: searched.to.toISOString() },
    };
  },
});
