/**
 * What this node last noted under each key (a release, a device) and when, for at most `max` keys (the
 * least recently noted dropped first): a note that repeats the last one within `withinMs` need not be
 * written again. Shared by the disclosures and signed-in devices records, which must not write (and sync
 * to disk) the same row on every request.
 */
export function createRecentNotes(opts: { withinMs: number; max: number }) {
  const notes = new Map<string, { value: string; at: number }>();
  return {
    /** whether `value` under `key` repeats the last note, made less than withinMs before `at` */
    repeats(key: string, value: string, at: number): boolean {
      const last = notes.get(key);
      return last !== undefined && last.value === value && at - last.at < opts.withinMs;
    },
    note(key: string, value: string, at: number): void {
      notes.delete(key);
      notes.set(key, { value, at });
      if (notes.size > opts.max) {
        const oldest = notes.keys().next().value;
        if (oldest !== undefined) notes.delete(oldest);
      }
    },
    /** the note was not written after all: the next one must be */
    forget(key: string): void {
      notes.delete(key);
    },
  };
}
