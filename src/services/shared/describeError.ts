// Error messages only: openid-client errors can carry responses, and tokens must never reach the logs.
export function describeError(err: unknown): Record<string, unknown> {
  if (!(err instanceof Error)) return { message: String(err) };
  const e = err as Error & { code?: unknown; error?: unknown; error_description?: unknown; status?: unknown };
  return {
    name: e.name,
    message: e.message,
    errorCode: e.code,
    error: e.error,
    error_description: e.error_description,
    status: e.status,
  };
}
