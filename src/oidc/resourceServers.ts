/** An API that accepts Hawiya access tokens: the civil-affairs services declare theirs. */
export interface ResourceServer {
  /** the resource indicator (RFC 8707) and the access token's audience */
  indicator: string;
  /** scopes this API understands, space-separated */
  scope: string;
  /** access-token lifetime, seconds */
  accessTokenTtl: number;
}

export function serviceResourceServers(services: {
  lossReportUrl: string;
  replacementUrl: string;
}): ResourceServer[] {
  return [
    { indicator: `${services.lossReportUrl}/api`, scope: 'civil:loss_report', accessTokenTtl: 600 },
    { indicator: `${services.replacementUrl}/api`, scope: 'civil:replacement', accessTokenTtl: 600 },
  ];
}
