/**
 * Work done after the answer (code delivery, notices), so that an answer takes the same time whoever
 * asked (checklist 8). It starts on a timer: after the request's remaining promise work (all of it on
 * SQLite; on PostgreSQL it may overlap the last queries' network waits, not their CPU). Errors are
 * recorded inside each job (code_delivery_failed); one that escapes is dropped. Tracked, so that a
 * shutdown can wait for it.
 */
export function createAfterAnswer() {
  const pending = new Set<Promise<void>>();
  return {
    later(work: () => Promise<void>): void {
      const job: Promise<void> = new Promise<void>((resolve) => setTimeout(resolve, 0))
        .then(work)
        .catch(() => undefined)
        .finally(() => pending.delete(job));
      pending.add(job);
    },
    /** Resolves once the work started after earlier answers has ended (and any it started in turn). */
    async idle(): Promise<void> {
      while (pending.size > 0) await Promise.all([...pending]);
    },
  };
}

export type AfterAnswer = ReturnType<typeof createAfterAnswer>;
