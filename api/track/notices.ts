/** A notice of the petitioner's case as a printable PDF. */
import { z } from 'zod';
import type { RequestHandler } from 'express';
import { message } from '../../domain/i18n';
import type { NoticeDocument } from '../../domain/notices/types';
import type { Store } from '../../store/models';
import { renderNoticePdf } from '../../notices/pdf';
import { requestLanguage } from '../language';
import { problems } from '../problem';
import { defineRoute, SENT } from '../route';
import { NoticeFile, parseRequest, security, TrackingParams } from '../schemas';
import { pin, refusals, unavailableOnError, type TrackDeps } from './petitioners';

/** The file name is checked before the tracking code and PIN, and an invalid one is named as the path's. */
const fileName: RequestHandler = (req, _res, next) => {
  parseRequest(NoticeFile, req.params.file, 'params', requestLanguage(req));
  next();
};

export const trackingNoticeRoute = defineRoute({
  method: 'get',
  path: '/v1/track/{trackingCode}/notices/{file}',
  summary: 'A notice as a printable PDF, Chinese fonts embedded (`<noticeId>.pdf`, as listed in the view)',
  tags: ['petitioner'],
  security: security.trackingPin,
  before: [fileName],
  request: { params: TrackingParams.extend({ file: NoticeFile }), headers: pin },
  responses: {
    200: {
      description: 'The notice in its official layout',
      content: { 'application/pdf': { schema: z.string().openapi({ format: 'binary' }) } },
    },
    ...refusals,
  },
  handler: async ({ params: { file }, req, res }, deps: TrackDeps & { store: Store }) => {
    const { caseId } = await deps.petitioners.authenticate(req);
    const noticeId = file.slice(0, -'.pdf'.length);
    const notice = await unavailableOnError(deps.store.notices.findById(noticeId).lean());
    // Another case's notice does not exist for this code.
    if (!notice || notice.caseId !== caseId || !notice.document) {
      throw problems.notFound(message('problem.detail.noticeNotFound'));
    }
    const pdf = await renderNoticePdf(notice.document as NoticeDocument);
    res.type('application/pdf').set('Content-Disposition', `inline; filename="${noticeId.replace(/:/g, '-')}.pdf"`);
    res.send(pdf);
    return SENT;
  },
});
