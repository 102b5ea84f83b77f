import type Provider from 'oidc-provider';
import type { Accounts } from '../accounts/createAccounts.js';
import type { FlowsRepo } from '../flows/flowsRepo.js';
import type { DevOutbox } from '../notify/index.js';
import type { ClientsRepo } from '../oidc/clientsRepo.js';
import type { AccountLogout } from '../oidc/createAccountLogout.js';
import type { DisclosuresRepo } from '../oidc/disclosuresRepo.js';
import type { GrantsRepo } from '../oidc/grantsRepo.js';
import type { SessionDevicesRepo } from '../oidc/sessionDevicesRepo.js';
import type { SessionsRepo } from '../oidc/sessionsRepo.js';
import type { Audit } from '../shared/audit.js';
import type { AuditRepo } from '../shared/auditRepo.js';
import type { Bilingual } from '../shared/serviceRegistry.js';
import type { AccountRp } from './actions/account/accountRp.js';
import type { RegistryCheckDeps } from './actions/registry/verifyRegistryHolder.js';
import type { Renderer } from './render.js';
import type { FlowCookie } from './requestContext.js';

/**
 * What the IdP's pages are built from (createIdp wires it). The router hands each action only the parts it
 * uses (showHome, reshaped with the service registry, still takes it whole).
 */
export interface IdpDeps {
  /** the current provider (replaced when signing keys change) */
  provider(): Provider;
  accounts: Accounts;
  flows: FlowsRepo;
  audit: Audit;
  /**
   * Runs the making of an interaction's answer with its writes held (the provider's rows, audit records)
   * and commits them together before returning (db/answerWrites.ts): for answers that read none back.
   */
  holdAnswerWrites<T>(body: () => Promise<T>): Promise<T>;
  render: Renderer;
  outbox?: DevOutbox;
  registerCookie: FlowCookie;
  resetCookie: FlowCookie;
  /** the civil-affairs services listed on the home page */
  links: readonly { name: Bilingual; url: string }[];
  /** the person's own account pages (connected services, withdrawing consent); `sessions` tells whether
   * the Hawiya session they were signed in by still lives */
  /** Hawiya's registry check for government clients (client credentials) */
  registryCheck: RegistryCheckDeps;
  /** why this node cannot serve now (database, migrations, signing keys, shutting down); empty when ready */
  readiness(): Promise<string[]>;
  account: {
    rp: AccountRp;
    cookie: FlowCookie;
    grants: GrantsRepo;
    clients: ClientsRepo;
    sessions: SessionsRepo;
    /** what each relying party received (the security page) */
    disclosures: DisclosuresRepo;
    /** where each session was last used from */
    sessionDevices: SessionDevicesRepo;
    /** the account's recent security events */
    auditLog: AuditRepo;
    /** signs the person out everywhere: sessions, grants' tokens, refresh tokens; relying parties told */
    endSessions: AccountLogout;
  };
}
