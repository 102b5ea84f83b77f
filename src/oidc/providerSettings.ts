import type { Config } from '../config.js';
import type { SessionSettings } from './sessionLimits.js';

export interface ProviderSettings {
  issuer: string;
  cookieKeys: readonly string[];
  pairwiseSalt: string;
  /** session timeouts by level (checklist 17) */
  session: SessionSettings;
  trustProxy: boolean;
  trustProxyHops: number;
}

/** The provider settings a Hawiya configuration gives (the server and the CLI's client check use the same). */
export function providerSettingsOf(config: Config): ProviderSettings {
  return {
    issuer: config.issuer,
    cookieKeys: config.cookieKeys,
    pairwiseSalt: config.pairwiseSalt,
    session: { ...config.session },
    trustProxy: config.trustProxy,
    trustProxyHops: config.trustProxyHops,
  };
}
