/** Password hashing (scrypt at OWASP strength). */

export {
  NO_PASSWORD_YET,
  OWASP_SCRYPT,
  PasswordHasher,
  type ScryptParams,
} from "./password-hasher.js";
