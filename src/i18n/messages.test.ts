import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../shared/projectRoot.js';
import { type MessageKey, messageKeys, messageTemplate } from './messages.js';

const root = projectRoot(import.meta.url);

function filesUnder(dir: string, ext: RegExp): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && ext.test(e.name))
    .map((e) => join(e.parentPath, e.name));
}

/** Keys built at run time from a family name: the template literal that builds them, in the code. */
const FAMILIES: [RegExp, string][] = [
  [/^claim\./, '`claim.${'],
  [/^claimName\./, '`claimName.${'],
  [/^code\.subject\./, '`code.subject.${'],
  [/^notice\./, '`notice.${'],
  [/^info\./, '`info.${'],
  [/^oauth\./, '`oauth.${'],
  [/^national_id_/, '`national_id_${'],
  [/^password_(?!changed)/, '`password_${'],
  [/^security\.(passkey(Added|Removed|Renamed)|app(Added|Removed)|sessionEnded)$/, '`security.${'],
  [/^received\.channel\./, '`received.channel.${'],
  [/^level\./, '`level.${'],
  [/^event\./, '`event.${'],
];

describe('translations', () => {
  it('every message exists in Arabic and in English, with the same parameters', () => {
    const ar = messageKeys('ar').sort();
    expect(messageKeys('en').sort()).toEqual(ar);
    for (const key of ar as MessageKey[]) {
      const params = (locale: 'ar' | 'en') =>
        [...messageTemplate(locale, key).matchAll(/\{(\w+)[},]/g)].map((m) => m[1]).sort();
      expect(messageTemplate('en', key).trim(), key).not.toBe('');
      expect(new Set(params('en')), key).toEqual(new Set(params('ar')));
    }
  });

  it('every message key is used by the code or a page', () => {
    const code = [
      ...filesUnder(join(root, 'src'), /\.ts$/).filter((f) => !/i18n|\.test\.ts$/.test(f)),
      ...filesUnder(join(root, 'views'), /\.eta$/),
    ]
      .map((f) => readFileSync(f, 'utf8'))
      .join('\n');
    const unused = messageKeys('ar').filter((key) => {
      if (code.includes(`'${key}'`) || code.includes(`"${key}"`)) return false;
      const family = FAMILIES.find(([pattern]) => pattern.test(key));
      return !(family && code.includes(family[1]));
    });
    expect(unused).toEqual([]);
  });
});
