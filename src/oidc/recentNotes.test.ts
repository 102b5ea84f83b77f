import { describe, expect, it } from 'vitest';
import { createRecentNotes } from './recentNotes.js';

// A record (a release, a device) is written again only when it changed, aged, was forgotten or fell out.
describe('recent notes', () => {
  it('a note repeats the last one only with the same value, within the time', () => {
    const notes = createRecentNotes({ withinMs: 1000, max: 10 });
    notes.note('grant', 'a', 0);
    expect(notes.repeats('grant', 'a', 999)).toBe(true);
    expect(notes.repeats('grant', 'a', 1000)).toBe(false);
    expect(notes.repeats('grant', 'b', 10)).toBe(false);
    expect(notes.repeats('other', 'a', 10)).toBe(false);
  });

  it('a forgotten note, and the least recently noted key past the limit, no longer repeat', () => {
    const notes = createRecentNotes({ withinMs: 1000, max: 2 });
    notes.note('one', 'a', 0);
    notes.note('two', 'a', 0);
    notes.note('one', 'a', 1); // noted again: now the most recent
    notes.note('three', 'a', 2); // past the limit: 'two' drops
    expect(notes.repeats('two', 'a', 3)).toBe(false);
    expect(notes.repeats('one', 'a', 3)).toBe(true);
    notes.forget('one');
    expect(notes.repeats('one', 'a', 3)).toBe(false);
  });
});
