import type { Context } from 'koa';
import { describe, expect, it } from 'vitest';
import { pageText } from '../../i18n/messages.js';
import {
  BadCredentials,
  FlowExpired,
  InvalidInput,
  ResendTooSoon,
  TooManyAttempts,
} from '../../shared/errors.js';
import { type FormPage, type FormProblem, formErrors } from './formErrors.js';

/** Runs formErrors around an action that throws `err`; what the page was shown, and the headers set. */
async function refuse(err: unknown, opts: { field?: string } = {}) {
  const headers: Record<string, string> = {};
  const ctx = {
    state: { locale: 'en' },
    set: (name: string, value: string) => {
      headers[name] = value;
    },
  } as unknown as Context;
  let shown: { errors?: FormProblem[]; status?: number } | undefined;
  const page: FormPage = (_ctx, s, status) => {
    shown = { ...s, status };
  };
  await formErrors(page, opts)(ctx, async () => {
    throw err;
  });
  return { shown, headers };
}

describe('formErrors', () => {
  it('[checklist 7] a held-back person sees the form again with 429, the wait in words, a countdown and Retry-After', async () => {
    const { shown, headers } = await refuse(new TooManyAttempts(8));
    expect(shown).toEqual({
      errors: [{ field: undefined, message: pageText('en', 'too_many_attempts', { seconds: 8 }) }],
      wait: 8,
      status: 429,
    });
    expect(headers['Retry-After']).toBe('8');
    expect((await refuse(new ResendTooSoon(42))).headers['Retry-After']).toBe('42');
  });

  it('[checklist 8] a wrong password re-shows the form with the one message for every cause, without Retry-After', async () => {
    const { shown, headers } = await refuse(new BadCredentials(), { field: 'identifier' });
    expect(shown).toEqual({
      errors: [{ field: 'identifier', message: pageText('en', 'bad_credentials') }],
      status: 401,
    });
    expect(headers).toEqual({});
  });

  it("[checklist 4] a rule of the form points to the field it is about, with the rule's numbers", async () => {
    const { shown } = await refuse(new InvalidInput('password_too_short', 'password', { min: 8, max: 256 }));
    expect(shown?.errors).toEqual([
      { field: 'password', message: pageText('en', 'password_too_short', { min: 8, max: 256 }) },
    ]);
    expect(shown?.status).toBe(400);
  });

  it('an ended journey and unknown errors go on to the error page', async () => {
    await expect(refuse(new FlowExpired())).rejects.toBeInstanceOf(FlowExpired);
    await expect(refuse(new Error('boom'))).rejects.toThrow('boom');
  });
});
