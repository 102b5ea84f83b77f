export {
  createOtp,
  type IssueCode,
  type IssuedCode,
  LONG_CODE_LENGTH,
  type Otp,
  type OtpSettings,
  parseCode,
} from './createOtp.js';
export type { OtpChannel, OtpPurpose } from './otpRepo.js';
