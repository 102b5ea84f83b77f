import type { Middleware } from 'koa';
import { addDays, localDateOf } from '../../../replacements/riyadhCalendar.js';
import { pageRequester } from '../pageRequester.js';
import type { ReplacementDeps } from '../replacementDeps.js';

/** GET /requests/:reference/form58.pdf: Form 58 prefilled with the person's and the document's data. */
export function downloadForm58(deps: ReplacementDeps): Middleware {
  return async function downloadForm58(ctx) {
    const requester = await pageRequester(deps, ctx);
    if (!requester) return;
    const r = await deps.replacements.own(requester, String(ctx.params.reference));
    const a = await deps.replacements.appointmentOf(r.reference);
    const standing = a && a.status !== 'cancelled' ? a : undefined;
    const office = standing ? await deps.replacements.repos.offices.find(standing.officeId) : undefined;
    const collectionDate =
      r.collectionDate ??
      (r.documentType === 'national_id_card' && standing
        ? addDays(localDateOf(standing.startsAt), 15)
        : undefined);
    // Loaded on first use: pdfkit, its fonts and qrcode add ~35 MB to every process that imports them.
    const { form58Pdf } = await import('../form58Pdf.js');
    ctx.body = await form58Pdf({
      reference: r.reference,
      lossReport: r.lossReport,
      requesterNameAr: r.requesterNameAr,
      requesterNameEn: r.requesterNameEn,
      requesterNationalId: r.requesterNationalId,
      documentType: r.documentType,
      holderNationalId: r.holderNationalId,
      holderName: r.holderName,
      appointment:
        standing && office
          ? { officeAr: office.nameAr, officeEn: office.nameEn, startsAt: standing.startsAt }
          : undefined,
      collectionDate,
      printedAt: deps.clock.now(),
    });
    ctx.type = 'application/pdf';
    ctx.set('Cache-Control', 'no-store');
    ctx.set('Content-Disposition', `attachment; filename="form-58-${r.reference}.pdf"`);
  };
}
