import { DeliveryFailed } from '../shared/errors.js';
import { type Logger, maskPhone } from '../shared/logger.js';

export interface OutgoingSms {
  to: string;
  text: string;
}

export interface SmsGateway {
  send(msg: OutgoingSms): Promise<void>;
}

/**
 * Sends SMS through an HTTP gateway: POST {to, text, sender} as JSON.
 * Any non-2xx answer, network error or timeout becomes DeliveryFailed('sms').
 */
export function createSmsGateway(deps: {
  url: string;
  token?: string;
  sender: string;
  logger: Logger;
  /** whole request, milliseconds (5000) */
  timeoutMs?: number;
}): SmsGateway {
  const timeoutMs = deps.timeoutMs ?? 5000;
  const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8' };
  if (deps.token) headers.authorization = `Bearer ${deps.token}`;

  return {
    async send(msg) {
      // The text holds the one-time code: it is never logged, only the masked number and the outcome.
      const to = maskPhone(msg.to);
      let res: Response;
      try {
        res = await fetch(deps.url, {
          method: 'POST',
          headers,
          body: JSON.stringify({ to: msg.to, text: msg.text, sender: deps.sender }),
          // A redirect is a misconfigured gateway; do not replay the bearer token elsewhere.
          redirect: 'error',
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch (err) {
        const timedOut = err instanceof Error && err.name === 'TimeoutError';
        deps.logger.warn({ to, reason: timedOut ? 'timeout' : 'network', timeoutMs }, 'sms delivery failed');
        throw new DeliveryFailed('sms');
      }
      // Drain the body so the connection can be reused; its content is of no interest.
      await res.arrayBuffer().catch(() => undefined);
      if (!res.ok) {
        deps.logger.warn({ to, status: res.status }, 'sms delivery failed');
        throw new DeliveryFailed('sms');
      }
      deps.logger.debug({ to, status: res.status }, 'sms sent');
    },
  };
}
