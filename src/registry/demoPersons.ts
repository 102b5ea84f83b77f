import type { RegistryPersonInput, RegistryRepo } from './registryRepo.js';

/**
 * Demo persons for development and journey tests. Fictional; IDs have valid Luhn check digits
 * (made with withCheckDigit), mobiles are in the Saudi 05XXXXXXXX form, e-mails on example.com.
 *
 *   1000000008  Mohammed Al-Otaibi     citizen   living    0551234512  easy to remember
 *   1045238712  Noura Al-Qahtani       citizen   living    0557654321  no e-mail on record
 *   2105739466  Omar Haddad            resident  living    0569876543
 *   1123987453  Sarah Al-Dosari        citizen   living    0534567890
 *   1088345622  Abdulrahman Al-Shahri  citizen   deceased  0501112233  registration must be refused
 */
export const DEMO_PERSONS: readonly RegistryPersonInput[] = Object.freeze([
  {
    nationalId: '1000000008',
    idType: 'citizen',
    givenNameAr: 'محمد',
    familyNameAr: 'العتيبي',
    givenNameEn: 'Mohammed',
    familyNameEn: 'Al-Otaibi',
    birthDate: '1985-03-14',
    sex: 'M',
    status: 'living',
    mobile: '0551234512',
    email: 'mohammed.alotaibi@example.com',
  },
  {
    nationalId: '1045238712',
    idType: 'citizen',
    givenNameAr: 'نورة',
    familyNameAr: 'القحطاني',
    givenNameEn: 'Noura',
    familyNameEn: 'Al-Qahtani',
    birthDate: '1992-11-02',
    sex: 'F',
    status: 'living',
    mobile: '0557654321',
    email: null,
  },
  {
    nationalId: '2105739466',
    idType: 'resident',
    givenNameAr: 'عمر',
    familyNameAr: 'حداد',
    givenNameEn: 'Omar',
    familyNameEn: 'Haddad',
    birthDate: '1979-06-21',
    sex: 'M',
    status: 'living',
    mobile: '0569876543',
    email: 'omar.haddad@example.com',
  },
  {
    nationalId: '1123987453',
    idType: 'citizen',
    givenNameAr: 'سارة',
    familyNameAr: 'الدوسري',
    givenNameEn: 'Sarah',
    familyNameEn: 'Al-Dosari',
    birthDate: '2001-07-30',
    sex: 'F',
    status: 'living',
    mobile: '0534567890',
    email: 'sarah.aldosari@example.com',
  },
  {
    nationalId: '1088345622',
    idType: 'citizen',
    givenNameAr: 'عبدالرحمن',
    familyNameAr: 'الشهري',
    givenNameEn: 'Abdulrahman',
    familyNameEn: 'Al-Shahri',
    birthDate: '1941-01-09',
    sex: 'M',
    status: 'deceased',
    mobile: '0501112233',
    email: null,
  },
]);

/** Upserts the demo persons, so running it twice changes nothing but updatedAt. */
export async function seedDemoPersons(repo: RegistryRepo): Promise<void> {
  await repo.upsertMany(DEMO_PERSONS);
}
