import { type Locale, type MessageKey, pageText } from '../../../i18n/messages.js';
import { ACCOUNT_CLIENT_ID } from '../../../oidc/accountClient.js';
import { ACR_VALUES } from '../../../oidc/acr.js';
import type { SessionDevicesRepo } from '../../../oidc/sessionDevicesRepo.js';
import type { SessionsRepo } from '../../../oidc/sessionsRepo.js';
import { deviceOf } from './deviceOf.js';
import { momentText } from './momentText.js';

/**
 * The person's signed-in devices: each live Hawiya session with the device and IP it was last used from,
 * when it signed in and was last seen, and its level; the one this page runs in is marked.
 */
export async function sessionsView(
  deps: { sessions: Pick<SessionsRepo, 'listLive'>; sessionDevices: Pick<SessionDevicesRepo, 'listFor'> },
  current: { accountId: string; sid: string },
  locale: Locale,
) {
  const devices = new Map(
    (await deps.sessionDevices.listFor(current.accountId)).map((d) => [d.sessionUid, d]),
  );
  return (await deps.sessions.listLive(current.accountId)).map((s) => {
    const device = devices.get(s.uid);
    const level = ACR_VALUES.find((v) => v === s.acr)
      ?.split(':')
      .pop();
    return {
      uid: s.uid,
      device: deviceOf(device?.userAgent) ?? pageText(locale, 'sessions.unknownDevice'),
      ip: device?.ip ?? '',
      signedIn: momentText(locale, s.signedInAt),
      lastSeen: momentText(locale, device?.lastSeenAt ?? s.signedInAt),
      level: level ? pageText(locale, `level.${level}` as MessageKey) : '—',
      current: s.participants.some((p) => p.clientId === ACCOUNT_CLIENT_ID && p.sid === current.sid),
    };
  });
}
