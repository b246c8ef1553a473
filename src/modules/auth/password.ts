// Passwords are hashed with argon2id (the library's default algorithm, OWASP parameters).
import { hash, verify } from '@node-rs/argon2';

const OPTIONS = { memoryCost: 19456, timeCost: 2, parallelism: 1 };

export const hashPassword = (password: string) => hash(password, OPTIONS);

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false; // a malformed stored hash never lets anyone in
  }
}

/** Verified against when the username is unknown, so that answer takes as long as a wrong password. */
export const unknownUserHash = hashPassword('not-a-real-password');
