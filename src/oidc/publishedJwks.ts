import type Provider from 'oidc-provider';

/**
 * RFC 7517 §4.3: `use` and `key_ops` should not be used together. oidc-provider marks every signing key
 * `use: "sig"`; the keys that only verify (next and previous) carry `key_ops: ["verify"]`, so the JWKS
 * publishes those with `key_ops` alone. The signing keys keep `use: "sig"`, which relying parties expect.
 */
export function publishVerifyOnlyKeysWithKeyOps(provider: Provider): void {
  provider.use(async (ctx, next) => {
    await next();
    if (ctx.oidc?.route !== 'jwks' || ctx.status !== 200) return;
    const body = ctx.body as { keys?: Record<string, unknown>[] } | undefined;
    if (!Array.isArray(body?.keys)) return;
    const type = ctx.type;
    // The provider's own key list is shared between requests: answer with copies.
    ctx.body = {
      keys: body.keys.map((key) => {
        if (!Array.isArray(key.key_ops)) return key;
        const { use: _use, ...verifyOnly } = key;
        return verifyOnly;
      }),
    };
    ctx.type = type;
  });
}
