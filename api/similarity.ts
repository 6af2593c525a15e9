/**
 * The office's reads of the similarity index: likely repeats of one case (for its decision to attach, refuse as the
 * same facts and reasons, or keep), and hotspots (矛盾纠纷排查). No petitioner identity is ever in these answers.
 */
import { Router } from 'express';
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { invalid, message } from '../domain/i18n';
import { profileForRegion } from '../domain/profiles';
import { STAGES } from '../domain/types';
import type { Store } from '../store/models';
import type { Sealer } from '../store/sealed';
import { findHotspots } from '../similarity/hotspots';
import { findRepeatCandidates, REPEAT_SEARCH_DEFAULTS } from '../similarity/repeats';
import { LIKELY_REPEAT } from '../similarity/score';
import { requireRole } from './auth';
import { problems } from './problem';
import { requestLanguage } from './language';
import { CaseIdParams, parseRequest, problemResponse, security } from './schemas';

const wholeNumber = (min: number, max: number) =>
  z.coerce
    .number({ error: invalid('validation.wholeNumber') })
    .int(invalid('validation.wholeNumber'))
    .min(min, invalid('validation.minimum'))
    .max(max, invalid('validation.maximum'));

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

export const HotspotsQuery = z
  .object({
    regionPrefix: z
      .string()
      .regex(/^(\d{2}|\d{4}|\d{6})$/, invalid('validation.hotspotRegionPrefix'))
      .openapi({ example: '330106' }),
    windowDays: wholeNumber(1, 90).optional().openapi({
      type: 'integer',
      description: "Days back from now; default: the region's profile (hotspot.windowDays).",
    }),
    minCases: wholeNumber(2, 1000).optional().openapi({
      type: 'integer',
      description: "Smallest group to show; default: the region's profile (hotspot.minCases).",
    }),
  })
  .strict();

const Hotspot = z
  .object({
    count: z.number().int(),
    regionCode: z.string(),
    regionCodes: z.array(z.string()),
    category: z.string(),
    subject: z.string().openapi({ description: 'The subject line of the case most like the whole group.' }),
    representativeCaseId: z.string(),
    caseIds: z.array(z.string()),
    firstRegisteredAt: IsoInstant,
    lastRegisteredAt: IsoInstant,
  })
  .openapi('Hotspot');

const HotspotsResponse = z
  .object({
    regionPrefix: z.string(),
    from: IsoInstant,
    to: IsoInstant,
    minCases: z.number().int(),
    basis: z.string().openapi({ description: "Where the profile's numbers come from." }),
    hotspots: z.array(Hotspot),
  })
  .openapi('Hotspots', {
    example: {
      regionPrefix: '330106',
      from: '2026-11-19T02:00:00.000Z',
      to: '2026-11-26T02:00:00.000Z',
      minCases: 5,
      basis: 'Xinfang default (configurable), not a statutory number',
      hotspots: [
        {
          count: 31,
          regionCode: '330106',
          regionCodes: ['330106'],
          category: 'environment',
          subject: '文三路万科工地夜间施工噪音扰民',
          representativeCaseId: '01KAYQ5J4Q3Z7X9V2N8M6P4R2T',
          caseIds: ['01KAYQ5J4Q3Z7X9V2N8M6P4R2T'],
          firstRegisteredAt: '2026-11-20T01:12:00.000Z',
          lastRegisteredAt: '2026-11-26T01:40:00.000Z',
        },
      ],
    },
  });

const DAY_MS = 86_400_000;

export function similarityRouter(deps: { store: Store; sealer: Sealer }): Router {
  const router = Router();

  router.get('/cases/:caseId/repeat-candidates', requireRole('office'), async (req, res) => {
    const lang = requestLanguage(req);
    const { caseId } = parseRequest(CaseIdParams, req.params, 'params', lang);
    const query = parseRequest(RepeatCandidatesQuery, req.query, 'query', lang);
    const found = await findRepeatCandidates(deps, caseId, query);
    if (!found) throw problems.notFound(message('problem.detail.caseNoRecordYet', { caseId }));
    res.json({ ...found, likelyRepeatThreshold: LIKELY_REPEAT });
  });

  router.get('/stats/hotspots', requireRole('office'), async (req, res) => {
    const query = parseRequest(HotspotsQuery, req.query, 'query', requestLanguage(req));
    const rule = profileForRegion(query.regionPrefix.padEnd(6, '0')).hotspot;
    const windowDays = query.windowDays ?? rule.windowDays;
    const minCases = query.minCases ?? rule.minCases;
    const now = new Date();
    const hotspots = await findHotspots(deps, { regionPrefix: query.regionPrefix, windowDays, minCases, now });
    res.json({
      regionPrefix: query.regionPrefix,
      from: new Date(now.getTime() - windowDays * DAY_MS),
      to: now,
      minCases,
      basis: rule.basis,
      hotspots,
    });
  });

  return router;
}

export function registerSimilarityPaths(registry: OpenAPIRegistry): void {
  registry.registerPath({
    method: 'get',
    path: '/v1/cases/{caseId}/repeat-candidates',
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
  });
  registry.registerPath({
    method: 'get',
    path: '/v1/stats/hotspots',
    summary: 'Hotspots (矛盾纠纷排查): open cases about one matter piling up in a region',
    description:
      'Groups the open cases registered in the region within the window by matter (the similarity of their request and ' +
      'content), largest first; groups smaller than `minCases` are left out. No identities.',
    tags: ['office'],
    security: security.apiKey,
    request: { query: HotspotsQuery },
    responses: {
      200: { description: 'The groups', content: { 'application/json': { schema: HotspotsResponse } } },
      400: problemResponse('Invalid query: each field and the rule it broke'),
      401: problemResponse('No or unknown API key'),
      403: problemResponse('Only the petition office reads hotspots'),
      429: problemResponse('Too many requests; see Retry-After'),
      503: problemResponse('API keys cannot be checked right now'),
    },
  });
}
