/**
 * A complete production configuration that loadConfig accepts: https everywhere, SMTP over TLS, secrets as
 * `openssl rand -base64 32` prints them, signing keys encrypted at rest. Tests change one variable of it.
 */
export const PRODUCTION_ENV = Object.freeze({
  NODE_ENV: 'production',
  ISSUER: 'https://id.example.gov',
  COOKIE_KEYS: 'q3Jf0yXv8LmN2pR7sT1uW4zA6bC9dE5gH0kY=,Zx8Wv7Ut6Sr5Qp4On3Ml2Kj1Ih0Gf9Ed8Cb7Aa6=',
  PAIRWISE_SALT: 'pV3nR8tY2wQ6eZ1xC5vB9mK4jH7gF0dS3aL6oP9i=',
  SMTP_URL: 'smtps://hawiya:pw@mail.example.gov:465',
  SMS_GATEWAY_URL: 'https://sms.example.gov/send',
  LOSS_REPORT_CLIENT_SECRET: 'L0ssR3p0rtS3cr3tXq7Vb2Nm9Kc4Jd8Hf1Gs6Wt5=',
  REPLACEMENT_CLIENT_SECRET: 'R3plAc3m3ntS3cr3tYp2Zo8Xi5Cu1Vy7Bt4Nr3Me=',
  KEYS_ENCRYPTION_KEY: 'fN3kQ8vX1mB6tR9yW2zL5pH0jC7gD4sA-uE_oI3nK6M',
  LOSS_REPORT_URL: 'https://loss.example.gov',
  REPLACEMENT_URL: 'https://replace.example.gov',
});
