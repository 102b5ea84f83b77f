import type { Knex } from 'knex';
import type Provider from 'oidc-provider';
import { createPreparedStatements } from '../db/preparedStatements.js';
import type { Audit } from '../shared/audit.js';
import type { Clock } from '../shared/clock.js';
import type { Logger } from '../shared/logger.js';
import { auditSignOut } from './auditSignOut.js';
import { verifyClientSecret } from './clientSecrets.js';
import { createDisclosuresRepo } from './disclosuresRepo.js';
import { holdAuthorizationWrites } from './holdAuthorizationWrites.js';
import type { OidcPages } from './oidcPages.js';
import type { ProviderSettings } from './providerSettings.js';
import { rememberPublishedDocuments } from './publishedDocuments.js';
import { publishVerifyOnlyKeysWithKeyOps } from './publishedJwks.js';
import { recordDisclosures } from './recordDisclosures.js';
import { recordSessionDevices } from './recordSessionDevices.js';
import { createSessionDevicesRepo } from './sessionDevicesRepo.js';
import { answerUnavailableDatabase } from './unavailableDatabase.js';

/**
 * What Hawiya adds to a built provider, in this order: hashed client secrets, middleware that records what
 * each answer disclosed and where sessions are used from, the proxy's addresses, the published keys, the
 * database-down answer and the sign-out audit.
 */
export function wireProvider(
  provider: Provider,
  deps: {
    settings: ProviderSettings;
    db: Knex;
    clock: Clock;
    logger: Logger;
    pages: Pick<OidcPages, 'renderError'>;
    /** records sign-outs (the CLI's client check has none) */
    audit?: Audit;
  },
): void {
  // oidc-provider's documented extension point for secrets that are not stored in the clear.
  provider.Client.prototype.compareClientSecret = function compareClientSecret(
    this: { clientSecret?: string },
    presented: string,
  ) {
    return verifyClientSecret(this.clientSecret, presented);
  };
  // First, so that it keeps the final answer: discovery and JWKS served from memory afterwards.
  rememberPublishedDocuments(provider);
  // What each relying party received, read from the answers themselves (the security page lists it).
  provider.use(
    recordDisclosures({
      repo: createDisclosuresRepo(deps.db),
      holdWrites: createPreparedStatements(deps.db).holdingWrites,
      clock: deps.clock,
      logger: deps.logger,
    }),
  );
  // An authorization answer's writes, the signed-in device's among them, committed together.
  provider.use(
    holdAuthorizationWrites({
      sql: createPreparedStatements(deps.db),
      authorizationPath: provider.pathFor('authorization'),
      renderError: (ctx, out, err) => deps.pages.renderError(ctx, out, err),
      logger: deps.logger,
    }),
  );
  // Where each session is used from (the security page's signed-in devices).
  provider.use(
    recordSessionDevices({ repo: createSessionDevicesRepo(deps.db), clock: deps.clock, logger: deps.logger }),
  );
  provider.proxy = deps.settings.trustProxy;
  provider.maxIpsCount = deps.settings.trustProxyHops;
  publishVerifyOnlyKeysWithKeyOps(provider);
  answerUnavailableDatabase(provider);
  if (deps.audit) auditSignOut(provider, { audit: deps.audit, logger: deps.logger });
}
