// Argon2id (the OWASP first choice) with the library's defaults: 64 MiB, 3 passes.
// PASSWORD_HASH_COST=test (set by the test suite, never in a deployment) makes NEW hashes cheap
// (1 MiB, 1 pass): the suite signs in thousands of times, and each default check costs a core for
// up to a second on a busy machine. Checking reads the cost from the hash itself, so a hash made
// either way is checked correctly; the server says so loudly at start when the variable is set.
import argon2 from 'argon2';

const DEFAULT_COST = { type: argon2.argon2id } as const;
const TEST_COST = { type: argon2.argon2id, memoryCost: 1024, timeCost: 1, parallelism: 1 } as const;

export const cheapPasswordHashes = () => process.env.PASSWORD_HASH_COST === 'test';

export const hashPassword = (password: string) => argon2.hash(password, cheapPasswordHashes() ? TEST_COST : DEFAULT_COST);

export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  try {
    return await argon2.verify(hash, password);
  } catch {
    return false;
  }
}

/** Spent on unknown usernames so that timing does not reveal which usernames exist. */
let dummyHash: Promise<string> | undefined;
export async function burnPasswordCheck(password: string): Promise<void> {
  dummyHash ??= hashPassword('not-a-real-password');
  await verifyPassword(await dummyHash, password);
}
