/** Who is asking: recorded in the audit trail and used for per-IP limits. */
export interface RequestMeta {
  ip: string;
  userAgent?: string;
  requestId?: string;
}

/** Who asked, as the audit trail records it. */
export function who(meta: RequestMeta): { ip: string; userAgent: string | null; requestId: string | null } {
  return { ip: meta.ip, userAgent: meta.userAgent || null, requestId: meta.requestId ?? null };
}
