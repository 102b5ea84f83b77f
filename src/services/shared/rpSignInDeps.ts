import type { Clock } from '../../shared/clock.js';
import type { Logger } from '../../shared/logger.js';
import type { ServiceDescriptor } from '../../shared/serviceRegistry.js';
import type { IdpConnection } from './createIdpConnection.js';
import type { RpRenderer } from './createRpRenderer.js';
import type { EndedSessions } from './endedSessionsRepo.js';
import type { RpCookies } from './rpCookies.js';
import type { RpLogins } from './rpLoginsRepo.js';
import type { RpSessions } from './rpSessionsRepo.js';

/** What the shared sign-in, logout and back-channel logout actions need; wired in createRpApp. */
export interface RpSignInDeps {
  descriptor: ServiceDescriptor;
  /** the service's public URL, without trailing slash: redirect URIs are registered against it */
  baseUrl: string;
  issuer: string;
  idp: IdpConnection;
  sessions: RpSessions;
  /** sessions Hawiya said ended: the API refuses their tokens */
  endedSessions: EndedSessions;
  logins: RpLogins;
  cookies: RpCookies;
  /** renders the shared views (error) */
  render: RpRenderer;
  logger: Logger;
  clock: Clock;
  /** other services' APIs called with the person's token: asked for at sign-in as further resources */
  calledApis: readonly CalledApi[];
}

export interface CalledApi {
  service: string;
  /** the person scope of that API */
  scope: string;
  /** its resource indicator (the API's URL) */
  resource: string;
}
