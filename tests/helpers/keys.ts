/**
 * Server keys for tests and benches that build `Services` by hand (no start-up, no stored KDF
 * record), and the cheaper scrypt cost the test harness gives new instances. Production derives the
 * master key with KDF_COST (N = 2^17, ≈ 0.25 s); the suite starts many servers, so test instances are
 * made with N = 2^10. tests/integration/instance-keys.test.ts proves the production parameters.
 */
import { createHash } from 'node:crypto';
import { serverKeys, type KdfCost, type ServerKeys } from '../../api/secrets/keys.ts';

export const TEST_KDF_COST: KdfCost = { N: 2 ** 10, r: 8, p: 1 };

/** Keys as a server with this secret would hold them, from a stand-in master key (SHA-256 of the secret). */
export function testServerKeys(secret: string): ServerKeys {
  return serverKeys(new Uint8Array(createHash('sha256').update(secret).digest()), secret);
}
