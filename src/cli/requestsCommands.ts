import { Command } from 'commander';
import type { Appointment } from '../replacements/appointmentsRepo.js';
import type { ReplacementRequest } from '../replacements/requestsRepo.js';
import { CliRefused } from './cliErrors.js';
import type { Cli } from './createCli.js';
import { parseDate } from './holidaysCommands.js';
import { iso } from './output.js';
import { refusedAsCli, replacementDesk } from './replacementDesk.js';

// hawiya requests show|attend|ready|collect|cancel <reference>: the office staff's side of a replacement
// request, each step audited under the staff member's name (cli:<user>).

function requestJson(r: ReplacementRequest, a?: Appointment) {
  return {
    reference: r.reference,
    status: r.status,
    loss_report: r.lossReport,
    document_type: r.documentType,
    holder_name: r.holderName,
    holder_national_id: r.holderNationalId,
    requester_name_ar: r.requesterNameAr,
    requester_name_en: r.requesterNameEn,
    biometrics_captured: r.biometricsCaptured,
    collection_date: r.collectionDate ?? null,
    loss_report_closed_at: iso(r.reportClosedAt) ?? null,
    appointment: a
      ? { office: a.officeId, starts_at: iso(a.startsAt), seat: a.seat, status: a.status }
      : null,
    created_at: iso(r.createdAt),
  };
}

function print(cli: Cli, json: boolean | undefined, r: ReplacementRequest, a?: Appointment) {
  const view = requestJson(r, a);
  if (json) return cli.out.json(view);
  for (const [k, v] of Object.entries(view)) {
    const shown = v && typeof v === 'object' ? JSON.stringify(v) : (v ?? '-');
    cli.out.line(`${k.padEnd(22)} ${shown}`);
  }
}

export function requestsShowCommand(cli: Cli): Command {
  return new Command('show')
    .description('show a replacement request (the reference is on Form 58 and in its QR code)')
    .argument('<reference>', 'RQ…')
    .option('--json', 'print JSON')
    .action((reference: string, opts: { json?: boolean }) =>
      cli.run(async (ctx) => {
        const { request, appointment } = await refusedAsCli(replacementDesk(ctx).desk.show(reference));
        print(cli, opts.json, request, appointment);
      }),
    );
}

export function requestsAttendCommand(cli: Cli): Command {
  return new Command('attend')
    .description('the person came to the appointment (fingerprints and photo taken, for an ID card)')
    .argument('<reference>', 'RQ…')
    .option('--json', 'print JSON')
    .action((reference: string, opts: { json?: boolean }) =>
      cli.run(async (ctx) => {
        const request = await refusedAsCli(replacementDesk(ctx).desk.attend(reference, ctx.actor));
        if (opts.json) return print(cli, true, request);
        ctx.out.line(
          `${request.reference} attended${request.biometricsCaptured ? '; biometrics captured' : ''}`,
        );
      }),
    );
}

export function requestsReadyCommand(cli: Cli): Command {
  return new Command('ready')
    .description('the document is ready; collection from --date (ID card: 15 days after the appointment)')
    .argument('<reference>', 'RQ…')
    .option('--date <date>', 'collection from (YYYY-MM-DD)', parseDate)
    .option('--json', 'print JSON')
    .action((reference: string, opts: { date?: string; json?: boolean }) =>
      cli.run(async (ctx) => {
        const request = await refusedAsCli(replacementDesk(ctx).desk.ready(reference, ctx.actor, opts.date));
        if (opts.json) return print(cli, true, request);
        ctx.out.line(
          `${request.reference} ready for collection from ${request.collectionDate}; the person is told`,
        );
      }),
    );
}

export function requestsCollectCommand(cli: Cli): Command {
  return new Command('collect')
    .description('the person collected the document: the loss report is closed as replaced')
    .argument('<reference>', 'RQ…')
    .option('--json', 'print JSON')
    .action((reference: string, opts: { json?: boolean }) =>
      cli.run(async (ctx) => {
        const { request, reportClosed } = await refusedAsCli(
          replacementDesk(ctx).desk.collect(reference, ctx.actor),
        );
        if (opts.json) return print(cli, true, request);
        ctx.out.line(
          reportClosed
            ? `${request.reference} collected; loss report ${request.lossReport} closed as replaced`
            : `${request.reference} collected; the loss-report service could not be reached: the replacement service will close ${request.lossReport} on its next sweep`,
        );
      }),
    );
}

export function requestsCancelCommand(cli: Cli): Command {
  return new Command('cancel')
    .description('cancel a request not yet collected (its appointment is freed)')
    .argument('<reference>', 'RQ…')
    .option('--json', 'print JSON')
    .action((reference: string, opts: { json?: boolean }) =>
      cli.run(async (ctx) => {
        const request = await refusedAsCli(replacementDesk(ctx).desk.cancel(reference, ctx.actor));
        if (request.status !== 'cancelled') throw new CliRefused('not cancelled');
        if (opts.json) return print(cli, true, request);
        ctx.out.line(`${request.reference} cancelled`);
      }),
    );
}
