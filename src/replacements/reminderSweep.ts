import type { Replacements, ReplacementsDeps } from './createReplacements.js';
import { noticeText } from './notices.js';
import { addDays, instantOf, localDateOf } from './riyadhCalendar.js';
import type { StaffDesk } from './staffDesk.js';

/**
 * One pass of the service's scheduled sweep: the day-before reminders of tomorrow's appointments (Riyadh
 * dates), each claimed in the database before it is sent, so that it goes out once however many processes
 * sweep; and the loss reports of collected requests that could not be closed at the time.
 */
export async function sweepReplacements(
  deps: Pick<ReplacementsDeps, 'clock' | 'logger'> & { replacements: Replacements; desk: StaffDesk },
): Promise<{ reminded: number; closed: number }> {
  const { replacements } = deps;
  const { appointments, requests, offices } = replacements.repos;
  const tomorrow = addDays(localDateOf(deps.clock.now()), 1);
  let reminded = 0;
  for (const a of await appointments.dueReminders(instantOf(tomorrow), instantOf(addDays(tomorrow, 1)))) {
    if (!(await appointments.claimReminder(a.id))) continue;
    const request = await requests.find(a.request);
    const office = await offices.find(a.officeId);
    if (!request || !office) continue;
    await replacements.send(
      request,
      noticeText({
        kind: 'reminder',
        reference: request.reference,
        documentType: request.documentType,
        office: { ar: office.nameAr, en: office.nameEn },
        startsAt: a.startsAt,
      }),
      'reminder',
    );
    reminded++;
  }
  let closed = 0;
  for (const request of await requests.awaitingReportClosure()) {
    if (await deps.desk.closeReport(request)) closed++;
  }
  return { reminded, closed };
}
