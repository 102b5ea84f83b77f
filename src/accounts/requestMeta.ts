/** Who is asking: recorded in the audit trail and used for per-IP limits. */
export interface RequestMeta {
  ip: string;
  userAgent?: string;
  requestId?: string;
}
