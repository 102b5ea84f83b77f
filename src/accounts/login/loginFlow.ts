// The login as a flow: what a login transaction has proven so far decides what comes next and what the
// login finally claims. No I/O: createLogin.ts keeps the transaction, the factors' own modules prove.
import type { OtpChannel } from '../../otp/index.js';
import { InvalidInput } from '../../shared/errors.js';
import { FACTORS, type Factor, type FactorName, factorNamed } from './factors/index.js';
import { ACR, type AcrValue, acrRank } from './levels.js';

/** What one login has proven so far, bound to its interaction; codes are bound to it too. */
export interface LoginTransaction {
  accountId: string;
  /** the factors proven so far, in order */
  factors: FactorName[];
  /** the lowest level the client and the request accept (older transactions: basic) */
  required?: AcrValue;
  /** where the current code went */
  channel: OtpChannel;
  maskedTo: string;
  /** the person may ask for the code by e-mail instead (offered by nextStep) */
  hasEmail: boolean;
  /** the passkey factors the account holds: a passkey may stand in for the code */
  passkeys?: FactorName[];
  /** no code reaches the level this login needs: only a passkey may follow the password */
  passkeyOnly?: boolean;
  /** the person's authenticator app may give the second factor */
  app?: boolean;
  /** a saved recovery code may stand in for the second factor */
  recovery?: boolean;
}

export interface Assurance {
  acr: AcrValue;
  /** RFC 8176 values */
  amr: string[];
}

export type LoginStep =
  /** the person proves one of these next (the first listed is the default) */
  | { step: 'factor'; offered: FactorName[] }
  /** the login ends with this level */
  | ({ step: 'done' } & Assurance);

function known(names: readonly string[]): Factor[] {
  return names.map(factorNamed).filter((f): f is Factor => f !== undefined);
}

function strongest(factors: readonly Factor[]): Factor | undefined {
  return [...factors].sort((a, b) => acrRank(b.level) - acrRank(a.level))[0];
}

/**
 * The acr and amr that the proven factors give, never more than they prove (checklist 16): a first factor
 * completed by a second one gives the second one's level; e-mail never gives more than basic (checklist 12);
 * a multi-factor authenticator (a passkey with user verification) completes a login alone, with `mfa`.
 */
export function assurance(proven: readonly string[]): Assurance | undefined {
  const factors = known(proven);
  const first = factors.find((f) => f.role === 'first');
  const second = strongest(factors.filter((f) => f.role === 'second'));
  if (!second?.level || (!first && !second.alone)) return undefined;
  const mfa = second.alone || (first?.independent && second.independent) ? ['mfa'] : [];
  return { acr: second.level, amr: [...new Set([...(first?.amr ?? []), ...second.amr, ...mfa])] };
}

/**
 * What comes next in a login: a factor page (which ones are allowed), or done with the resulting acr/amr.
 * A factor is offered when it reaches the level the client and the request need (so a client whose minimum
 * is standard is never offered e-mail); when none the person holds does, the strongest they hold, and
 * oidc-provider then asks for a new login if the level is too low (checklist 16).
 */
export function nextStep(opts: {
  proven: readonly string[];
  required: AcrValue;
  /** the factors the person holds (a password, the registry's mobile, an e-mail address on file) */
  held: readonly FactorName[];
}): LoginStep {
  const proven = known(opts.proven);
  const open = FACTORS.filter((f) => opts.held.includes(f.name) && !opts.proven.includes(f.name));
  if (!proven.some((f) => f.role === 'first' || f.alone))
    return {
      step: 'factor',
      offered: open.filter((f) => f.role === 'first' || (f as Factor).alone).map((f) => f.name),
    };
  const reached = assurance(opts.proven);
  const seconds = open.filter((f) => f.role === 'second');
  const meeting = seconds.filter((f) => acrRank(f.level) >= acrRank(opts.required));
  if (reached && (acrRank(reached.acr) >= acrRank(opts.required) || meeting.length === 0))
    return { step: 'done', ...reached };
  if (meeting.length > 0) return { step: 'factor', offered: meeting.map((f) => f.name) };
  const best = strongest(seconds);
  return {
    step: 'factor',
    offered: seconds.filter((f) => acrRank(f.level) === acrRank(best?.level)).map((f) => f.name),
  };
}

/**
 * The login transaction a right password opens, and what is asked next: a passkey when the person holds
 * one (offered first), the authenticator app, else a code to the first offered channel (SMS: always held,
 * the only one for a client that needs the standard level). A level nothing the person holds can reach is
 * told now, not after a code (InvalidInput level_unreachable).
 */
export function afterPasswordStep(opts: {
  accountId: string;
  required: AcrValue;
  /** the factors the person holds */
  held: readonly FactorName[];
}): { tx: LoginTransaction; ask: 'passkey' | 'app' | 'code' } {
  const factors: FactorName[] = ['pwd'];
  const step = nextStep({ proven: factors, required: opts.required, held: opts.held });
  const offered = step.step === 'factor' ? step.offered : [];
  const reachable = offered.some((f) => acrRank(factorNamed(f)?.level) >= acrRank(opts.required));
  if (!reachable) throw new InvalidInput('level_unreachable', 'identifier');
  const channels = codeChannels(offered);
  const tx: LoginTransaction = {
    accountId: opts.accountId,
    factors,
    required: opts.required,
    channel: channels[0] ?? 'sms',
    maskedTo: '',
    hasEmail: channels.includes('email'),
    passkeys: passkeysOffered(offered),
    passkeyOnly: channels.length === 0,
    app: offered.includes('totp'),
    recovery: offered.includes('recovery'),
  };
  // The first offered factor is asked for; a code is sent only when it is one.
  if (passkeysOffered(offered)[0] === offered[0]) return { tx, ask: 'passkey' };
  return { tx, ask: offered[0] === 'totp' ? 'app' : 'code' };
}

/** The proven factors after one more. */
export function prove(proven: readonly FactorName[], factor: FactorName): FactorName[] {
  return proven.includes(factor) ? [...proven] : [...proven, factor];
}

/** The factors a transaction lets the person choose for their code. */
export function offeredCodes(tx: Pick<LoginTransaction, 'hasEmail'>): OtpChannel[] {
  return tx.hasEmail ? ['sms', 'email'] : ['sms'];
}

/** The passkey factors among those offered, in order. */
export function passkeysOffered(offered: readonly FactorName[]): FactorName[] {
  return offered.filter((f) => factorNamed(f)?.alone === true);
}

/** The code factors among those offered, in order. */
export function codeChannels(offered: readonly FactorName[]): OtpChannel[] {
  return offered.filter((f): f is OtpChannel => f === 'sms' || f === 'email');
}

/**
 * The highest level the factors a person holds can reach: what changing any of them asks of a recent login
 * (checklist 21), so that a weaker pair (password + SIM) never replaces a stronger factor.
 */
export function highestLevel(held: readonly string[]): AcrValue {
  return strongest(known(held).filter((f) => f.level !== undefined))?.level ?? ACR.basic;
}

/** The lowest level a transaction needs; transactions from before it was recorded need basic. */
export function requiredOf(tx: Pick<LoginTransaction, 'required'>): AcrValue {
  return tx.required ?? ACR.basic;
}
