import { describe, expect, it } from 'vitest';
import { loadCommonPasswords } from './commonPasswords.js';
import { checkNewPassword, PASSWORD_MAX, PASSWORD_MIN, type PasswordProblem } from './passwordPolicy.js';

function problemOf(password: string, extra: { username?: string; nationalId?: string } = {}) {
  const result = checkNewPassword({ password, ...extra });
  return result.ok ? 'ok' : result.problem;
}

function expectProblem(problem: PasswordProblem | 'ok', passwords: string[], extra = {}) {
  for (const password of passwords) {
    expect({ password, problem: problemOf(password, extra) }).toEqual({ password, problem });
  }
}

// random-looking printable ASCII, so only the length rule can apply
function randomAscii(length: number): string {
  return Array.from({ length }, (_, i) => String.fromCharCode(35 + ((i * 37 + 11) % 90))).join('');
}

describe('checkNewPassword', () => {
  it('[checklist 1] 7 characters are rejected with the minimum, 8 accepted', () => {
    expect(PASSWORD_MIN).toBe(8);
    expect(checkNewPassword({ password: 'tq7#vzm' })).toEqual({ ok: false, problem: 'too_short', min: 8 });
    expect(checkNewPassword({ password: 'tq7#vzmx' })).toEqual({ ok: true, normalized: 'tq7#vzmx' });
    expect(checkNewPassword({ password: '' })).toEqual({ ok: false, problem: 'too_short', min: 8 });
  });

  it('[checklist 1] [checklist 3] length is counted in code points (Arabic, emoji), after NFKC', () => {
    // 7 code points but 10 UTF-16 units: still too short
    expectProblem('too_short', ['🌙⭐🌴🐪 qz', 'نخلة قم']);
    expectProblem('ok', ['🌙⭐🌴🐪 qzv', 'نخلة قمر']);
    // the 'ﬁ' ligature is two letters once normalised
    expect(checkNewPassword({ password: 'ﬁxmqtz' })).toEqual({ ok: false, problem: 'too_short', min: 8 });
    expect(checkNewPassword({ password: 'ﬁxmqtzw' })).toEqual({ ok: true, normalized: 'fixmqtzw' });
  });

  it('[checklist 2] 64, 100 and 256 characters are accepted unchanged; 257 is too long', () => {
    expect(PASSWORD_MAX).toBe(256);
    for (const length of [64, 100, 256]) {
      const password = randomAscii(length);
      expect(checkNewPassword({ password })).toEqual({ ok: true, normalized: password });
    }
    expect(checkNewPassword({ password: randomAscii(257) })).toEqual({
      ok: false,
      problem: 'too_long',
      max: 256,
    });
    // 256 emoji are 512 UTF-16 units but 256 characters
    const camels = `qz${'🐪🌴'.repeat(127)}`;
    expect([...camels]).toHaveLength(256);
    expect(problemOf(camels)).toBe('ok');
    expect(problemOf(`${camels}!`)).toBe('too_long');
  });

  it('[checklist 2] case and spaces are preserved in the normalised password', () => {
    expect(checkNewPassword({ password: '  Mixed CASE Tea Kettle  ' })).toEqual({
      ok: true,
      normalized: '  Mixed CASE Tea Kettle  ',
    });
  });

  it('[checklist 3] passphrases, Arabic, spaces and any printable character are accepted, no composition rules', () => {
    expectProblem('ok', [
      'كلمة سر طويلة جدا',
      'correct horse battery staple',
      'blue kettle morning',
      '5819203746',
      ' !"#$%&\'()*+,-./:;<=>?[\\]^_`{}~',
      'Ünïcödé ßtraße 東京タワー',
    ]);
  });

  it('[checklist 3] returns the NFKC form that the hasher will also see', () => {
    expect(checkNewPassword({ password: 'ｔｅａ ｋｅｔｔｌｅ ２０２４' })).toEqual({
      ok: true,
      normalized: 'tea kettle 2024',
    });
    expect(checkNewPassword({ password: 'cafe\u0301 au lait' })).toEqual({
      ok: true,
      normalized: 'café au lait',
    });
  });

  it('[checklist 4] common and breached passwords are rejected as common, whatever their case', () => {
    expectProblem('common', [
      'password',
      'PASSWORD',
      'iloveyou',
      'qwertyuiop',
      'trustno1',
      'p@ssw0rd',
      'Football',
      'qwertyui',
      'كلمة المرور',
    ]);
  });

  it('[checklist 4] a common word with a few digits or symbols around it is still common', () => {
    expectProblem('common', [
      'password1!',
      'Password2024!',
      'P@ssw0rd123',
      '!!sunshine',
      'i love you',
      'letmein#1',
      'monkey123456',
    ]);
    // enough added that the common word no longer dominates
    expectProblem('ok', ['password!8472jdq', 'sunshine over the dunes']);
  });

  it('[checklist 4] single dictionary words are rejected as common', () => {
    expectProblem('common', ['absolute', 'Afternoon', 'affection!']);
  });

  it('[checklist 4] the username is rejected, case-insensitively, when 3+ characters', () => {
    expectProblem('contains_username', ['ali.alharbi', 'ALI.ALHARBI!x', 'my-ali.alharbi-pw'], {
      username: 'Ali.Alharbi',
    });
    expectProblem('contains_username', ['saud.q-secret-99'], { username: 'saud.q@example.com' });
    expectProblem('ok', ['alrightmoon'], { username: 'al' });
    expectProblem('ok', ['tea kettle morning'], { username: 'Ali.Alharbi' });
  });

  it('[checklist 4] the national ID is rejected, with separators or Arabic-Indic digits', () => {
    const nationalId = '1012345678';
    expectProblem('contains_national_id', ['1012345678', 'x1012345678y', '1012-345-678!', 'id ١٠١٢٣٤٥٦٧٨'], {
      nationalId,
    });
    expectProblem('ok', ['1012 tea kettle'], { nationalId });
  });

  it('[checklist 4] repeated characters and simple sequences are rejected as repetitive', () => {
    expectProblem('repetitive', [
      'aaaaaaaa',
      '11111111',
      'abababab',
      'abcabcab',
      '12345678',
      '1234567890',
      'abcdefgh',
      'ABCDEFGH',
      '87654321',
      'zyxwvuts',
      '١٢٣٤٥٦٧٨',
      'aaaa1234',
      'ههههههههه',
    ]);
  });

  it("[checklist 4] the service's name is rejected in its spellings and disguises", () => {
    expectProblem('service_name', [
      'hawiya2024',
      'Hawiya!!',
      'h@w1ya123',
      'HAWIYYA-pass',
      'my huwiyah account',
      'هوية12345',
      'هويتي الرقمية',
      'هُويّة 2024 !!',
    ]);
    // the letters only match inside one word
    expectProblem('ok', ['shaw iyad forever']);
  });

  it('[checklist 4] every rejection names its reason', () => {
    const seen = new Set<string>();
    const cases: Array<[string, { username?: string; nationalId?: string }]> = [
      ['short', {}],
      ['x'.repeat(300), {}],
      ['password', {}],
      ['fatima-z-2024', { username: 'fatima-z' }],
      ['2109876543!', { nationalId: '2109876543' }],
      ['zzzzzzzz', {}],
      ['hawiya-online', {}],
    ];
    for (const [password, extra] of cases) seen.add(problemOf(password, extra));
    expect([...seen].sort()).toEqual(
      [
        'common',
        'contains_national_id',
        'contains_username',
        'repetitive',
        'service_name',
        'too_long',
        'too_short',
      ].sort(),
    );
  });
});

describe('loadCommonPasswords', () => {
  it('is a large lower-case set built once, with the Hawiya additions', () => {
    const list = loadCommonPasswords();
    expect(list.size).toBeGreaterThan(50_000);
    expect(loadCommonPasswords()).toBe(list);
    for (const word of ['123456', 'password', 'hawiya', 'هوية', 'كلمةالسر', 'abcd1234', 'qwertyui']) {
      expect(list.has(word)).toBe(true);
    }
    expect([...list].every((w) => w === w.toLowerCase())).toBe(true);
  });
});
