import { ACR, acrRank } from './acr.js';

/** How long sessions live: the operator's settings for the standard level and below, and for high. */
export interface SessionSettings {
  idleSeconds: number;
  maxSeconds: number;
  highIdleSeconds: number;
  highMaxSeconds: number;
}

/**
 * The inactivity and absolute timeouts of a session at its level (checklist 17): standard (and basic) at
 * most 1 h idle / 24 h in all, high at most 15 min / 12 h. A high session is never given more than a
 * standard one would be, whatever the settings.
 */
export function sessionLimits(acr: string | undefined, s: SessionSettings): { idle: number; max: number } {
  if (acrRank(acr) >= acrRank(ACR.high))
    return {
      idle: Math.min(s.highIdleSeconds, s.idleSeconds),
      max: Math.min(s.highMaxSeconds, s.maxSeconds),
    };
  return { idle: s.idleSeconds, max: s.maxSeconds };
}

/** Seconds a session has left: its idle timeout, cut short by its absolute one (at least 1). */
export function sessionTtl(opts: {
  acr: string | undefined;
  loginTs: number | undefined;
  nowSeconds: number;
  settings: SessionSettings;
}): number {
  const { idle, max } = sessionLimits(opts.acr, opts.settings);
  const absoluteLeft = opts.loginTs ? opts.loginTs + max - opts.nowSeconds : max;
  return Math.max(1, Math.min(idle, absoluteLeft));
}
