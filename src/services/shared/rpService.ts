import type Router from '@koa/router';
import type { Context } from 'koa';
import type { Db } from '../../db/createDb.js';
import type { Notifier } from '../../notify/index.js';
import type { Audit } from '../../shared/audit.js';
import type { Clock } from '../../shared/clock.js';
import type { Logger } from '../../shared/logger.js';
import type { ServiceDescriptor } from '../../shared/serviceRegistry.js';
import type { ApiAuth } from './apiAuth.js';
import type { IdpConnection } from './createIdpConnection.js';
import type { RpRenderer } from './createRpRenderer.js';
import type { RpLocale } from './rpMessages.js';
import type { CalledApi } from './rpSignInDeps.js';

/** What a service's own actions receive (the shared sign-in part has its own). */
export interface RpServiceDeps {
  /** the service's database: its repositories take this */
  db: Db;
  clock: Clock;
  logger: Logger;
  /** renders views/services/<id>/<view>.eta inside the shared layout */
  render: RpRenderer;
  /** the service's public URL, without trailing slash */
  baseUrl: string;
  issuer: string;
  idp: IdpConnection;
  /** verifies Hawiya access tokens for this service's API: outside callers' and the pages' own alike */
  apiAuth: ApiAuth;
  /**
   * The signed-in person's token for the service's API, or for `resource` (another service's API it calls),
   * renewed as needed; undefined: sign in again.
   */
  apiToken(ctx: Context, resource?: string): Promise<string | undefined>;
  /** the other services' APIs it calls with the person's token */
  calledApis: readonly CalledApi[];
  notifier: Notifier;
  audit: Audit;
}

/** One civil-affairs service: its registry entry, its words, and its own routes (src/services/<id>/). */
export interface RpService {
  readonly descriptor: ServiceDescriptor;
  /** one line under the service's name on its home page */
  readonly description: Record<RpLocale, string>;
  /** registers the service's own pages, the home page among them; sign-in and logout are shared */
  routes(router: Router, deps: RpServiceDeps): void;
  /** starts the service's scheduled work (timers, unref'd); returns how to stop it */
  background?(deps: RpServiceDeps): () => void;
}
