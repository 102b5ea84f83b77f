import type { Context, Middleware } from 'koa';
import { holderMatch } from '../../../registry/holderMatch.js';
import { checkNationalId, type RegistryRepo } from '../../../registry/index.js';
import { TooManyAttempts } from '../../../shared/errors.js';
import { createJsonBodyReader } from '../../../shared/jsonBody.js';
import { REGISTRY_CHECK } from '../../../shared/serviceRegistry.js';
import { type Throttle, throttleKey } from '../../../throttle/createThrottle.js';
import type { IdpDeps } from '../../deps.js';
import { metaOf } from '../../requestContext.js';

/** Per client: a service checks one holder per report, so this is generous for people and not for a scraper. */
const LIMIT = { limit: 120, windowSeconds: 60 };
const NAME_MAX = 200;

export interface RegistryCheckDeps {
  registry: RegistryRepo;
  throttle: Throttle;
  /** the resource indicator its tokens must be issued for: `${issuer}/api/registry/verify` */
  indicator: string;
}

/**
 * POST /api/registry/verify {national_id, name}: government clients with a client-credentials token
 * (scope registry:verify, audience this URL) learn only whether the ID and name match a living or a
 * deceased person, or nothing. Audited and rate limited per client. Errors are RFC 6750 / OAuth JSON.
 */
export function verifyRegistryHolder(deps: IdpDeps): Middleware {
  const readBody = createJsonBodyReader({ limit: '4kb' });
  return async function verifyRegistryHolder(ctx) {
    ctx.set('Cache-Control', 'no-store');
    const m = /^Bearer ([A-Za-z0-9._~+/-]+=*)$/.exec(ctx.get('Authorization'));
    if (!m?.[1]) return refuse(ctx, 401, {});
    const provider = deps.provider();
    const token = await provider.ClientCredentials.find(m[1]);
    const clientId = token?.clientId;
    const client = clientId ? await provider.Client.find(clientId) : undefined;
    if (
      !token ||
      !clientId ||
      token.isExpired ||
      token.isSenderConstrained() ||
      token.aud !== deps.registryCheck.indicator ||
      client?.metadata().organization_type !== 'government'
    ) {
      return refuse(ctx, 401, { error: 'invalid_token' });
    }
    if (
      !String(token.scope ?? '')
        .split(' ')
        .includes(REGISTRY_CHECK.scope)
    ) {
      return refuse(ctx, 403, { error: 'insufficient_scope', scope: REGISTRY_CHECK.scope });
    }
    try {
      await deps.registryCheck.throttle.consume(throttleKey('registry_check', 'client', clientId), LIMIT);
    } catch (err) {
      if (!(err instanceof TooManyAttempts)) throw err;
      ctx.set('Retry-After', String(err.params.seconds));
      ctx.status = 429;
      ctx.body = { error: 'too_many_requests' };
      return;
    }
    let body: Record<string, unknown>;
    try {
      body = await readBody(ctx);
    } catch {
      return invalidRequest(ctx, 'a JSON object with national_id and name is required');
    }
    const id = typeof body.national_id === 'string' ? checkNationalId(body.national_id) : undefined;
    if (!id?.ok) return invalidRequest(ctx, 'national_id is not a valid national ID');
    const name = body.name;
    if (typeof name !== 'string' || name.trim() === '' || name.length > NAME_MAX) {
      return invalidRequest(ctx, `name is required (at most ${NAME_MAX} characters)`);
    }
    const result = holderMatch(await deps.registryCheck.registry.find(id.nationalId), name);
    await deps.audit.record({
      event: 'registry_checked',
      clientId,
      nationalId: id.nationalId,
      ...metaOf(ctx),
      details: { result },
    });
    ctx.body = { result };
  };
}

/** RFC 6750 section 3: the challenge names the error; a request without a token gets no error code. */
function refuse(ctx: Context, status: 401 | 403, e: { error?: string; scope?: string }): void {
  const params = [
    'realm="hawiya"',
    ...(e.error ? [`error="${e.error}"`] : []),
    ...(e.scope ? [`scope="${e.scope}"`] : []),
  ];
  ctx.set('WWW-Authenticate', `Bearer ${params.join(', ')}`);
  ctx.status = status;
  ctx.body = { error: e.error ?? 'unauthorized' };
}

function invalidRequest(ctx: Context, description: string): void {
  ctx.status = 400;
  ctx.body = { error: 'invalid_request', error_description: description };
}
