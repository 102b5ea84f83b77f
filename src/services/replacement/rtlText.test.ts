import { describe, expect, it } from 'vitest';
import { visualRuns } from './rtlText.js';

describe('right-to-left lines for the PDF', () => {
  it('an Arabic line with a number: the number sits left of the words before it, its digits in order', () => {
    const runs = visualRuns('رقم الطلب RQ1234567890');
    expect(runs).toEqual([
      { text: 'RQ1234567890', arabic: false, rtl: false },
      { text: ' ', arabic: false, rtl: true },
      { text: 'الطلب', arabic: true, rtl: true },
      { text: ' ', arabic: false, rtl: true },
      { text: 'رقم', arabic: true, rtl: true },
    ]);
  });

  it('brackets in a right-to-left run are mirrored', () => {
    const runs = visualRuns('الاسم (عمر)');
    // Read from the right: the name, a space, the opening bracket (drawn as ")"), the word, the closing one.
    expect(runs.map((r) => r.text)).toEqual(['(', 'عمر', ') ', 'الاسم']);
  });
});
