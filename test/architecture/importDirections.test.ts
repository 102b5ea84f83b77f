import { describe, expect, it } from 'vitest';
import { importsOf, importsUnder, importViolations, type LayerRules, srcRoot } from './importRules.js';

// The import directions of the house style, adjusted to this tree: each layer lists what it may import.
// Domain folders point down (shared at the bottom); only the composition roots (main, createIdp) and the
// CLI wire them together; the services are relying parties and reach the IdP only over HTTP.
const RULES: LayerRules = {
  shared: [],
  i18n: ['shared'],
  db: ['shared'],
  registry: ['db', 'shared'],
  notify: ['shared'],
  throttle: ['db', 'shared'],
  flows: ['db', 'shared'],
  otp: ['db', 'notify', 'shared'],
  accounts: ['registry', 'otp', 'notify', 'flows', 'throttle', 'db', 'shared'],
  keys: ['db', 'shared'],
  oidc: ['accounts', 'keys', 'registry', 'db', 'shared', 'i18n'],
  http: [
    'accounts',
    'flows',
    'notify',
    'oidc',
    'otp',
    'registry',
    'throttle',
    'keys',
    'i18n',
    'db',
    'shared',
  ],
  // The replacement service's data and rules (offices, requests, appointments, Form 58's dates), no HTTP:
  // the service's pages and the staff's CLI both work on it, neither importing the other.
  replacements: ['db', 'notify', 'shared'],
  // Relying parties: their own tables, their confirmations by SMS and e-mail (house style), the shared helpers.
  services: ['replacements', 'db', 'notify', 'metrics', 'shared'],
  // Prometheus metrics: counters, middleware and listeners that the composition roots attach; they read
  // the domain only through values passed in.
  metrics: ['shared'],
  core: [
    'accounts',
    'registry',
    'otp',
    'flows',
    'throttle',
    'keys',
    'oidc',
    'notify',
    'i18n',
    'db',
    'shared',
  ],
  cli: [
    'config',
    'core',
    'replacements',
    'accounts',
    'registry',
    'otp',
    'flows',
    'throttle',
    'keys',
    'oidc',
    'notify',
    'db',
    'shared',
  ],
  config: ['shared'],
  createIdp: [
    'config',
    'metrics',
    'core',
    'accounts',
    'registry',
    'otp',
    'flows',
    'throttle',
    'keys',
    'oidc',
    'notify',
    'http',
    'i18n',
    'db',
    'shared',
  ],
  main: ['*'],
};

describe('import directions (house style, issue 7)', () => {
  it('every import in src/ follows the layer rules', () => {
    expect(importViolations(importsUnder(srcRoot), RULES)).toEqual([]);
  });

  it('a service that imports the accounts or oidc domain is refused', () => {
    const text = [
      "import { createAccounts } from '../../accounts/createAccounts.js';",
      "import type { ClientsRepo } from '../../oidc/clientsRepo.js';",
      "import { createLogger } from '../../shared/logger.js';",
    ].join('\n');
    const problems = importViolations(importsOf('services/loss-report/lossReport.ts', text), RULES);
    expect(problems).toEqual([
      'services/loss-report/lossReport.ts imports ../../accounts/createAccounts.js: "services" may not import "accounts"',
      'services/loss-report/lossReport.ts imports ../../oidc/clientsRepo.js: "services" may not import "oidc"',
    ]);
  });

  it('the replacement domain, shared by the service and the CLI, imports neither of them', () => {
    const text = [
      "import { rpTranslate } from '../services/shared/rpMessages.js';",
      "import { iso } from '../cli/output.js';",
      "import { createDb } from '../db/createDb.js';",
    ].join('\n');
    expect(importViolations(importsOf('replacements/x.ts', text), RULES)).toEqual([
      'replacements/x.ts imports ../services/shared/rpMessages.js: "replacements" may not import "services"',
      'replacements/x.ts imports ../cli/output.js: "replacements" may not import "cli"',
    ]);
  });

  it('dynamic imports and re-exports count too; a layer missing from the rules is reported', () => {
    const text = "export { x } from '../http/router.js';\nconst m = await import('../cli/main.js');";
    expect(importViolations(importsOf('accounts/a.ts', text), RULES)).toEqual([
      'accounts/a.ts imports ../http/router.js: "accounts" may not import "http"',
      'accounts/a.ts imports ../cli/main.js: "accounts" may not import "cli"',
    ]);
    expect(importViolations(importsOf('services/a.ts', "import '../oidc/x.js';"), RULES)).toEqual([
      'services/a.ts imports ../oidc/x.js: "services" may not import "oidc"',
    ]);
    expect(
      importViolations(importsOf('newthing/a.ts', "import { y } from '../shared/x.js';"), RULES),
    ).toEqual(['newthing/a.ts: layer "newthing" has no import rules']);
  });
});
