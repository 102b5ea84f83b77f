export { createOtp, type IssueCode, type IssuedCode, type Otp, type OtpSettings } from './createOtp.js';
export type { OtpChannel, OtpPurpose } from './otpRepo.js';
