/** A service's cookies. Both services may share a host (localhost:3001 and :3002 share cookies), so names carry the client id. */
export interface RpCookies {
  names: { session: string; login: string; lang: string };
  /** HttpOnly, SameSite=Lax, path /, Secure behind https; a session cookie without maxAge */
  options(maxAge?: number): {
    httpOnly: true;
    sameSite: 'lax';
    secure: boolean;
    path: '/';
    overwrite: true;
    maxAge?: number;
  };
}

export function createRpCookies(opts: { serviceId: string; https: boolean }): RpCookies {
  const prefix = opts.https ? '__Host-' : '';
  return {
    names: {
      session: `${prefix}${opts.serviceId}.session`,
      login: `${prefix}${opts.serviceId}.login`,
      lang: `${prefix}${opts.serviceId}.lang`,
    },
    options: (maxAge) => ({
      httpOnly: true,
      sameSite: 'lax',
      secure: opts.https,
      path: '/',
      overwrite: true,
      ...(maxAge ? { maxAge } : {}),
    }),
  };
}
