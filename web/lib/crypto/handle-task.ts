/**
 * What a crypto worker does with one task (protocol.ts). Separate from the worker's message loop so
 * that unit tests run the same code in Node.
 */
import { buildCsr, certificateMatchesCsr } from './csr.ts';
import { generateKeyPair } from './keys.ts';
import { assembleP12, buildP12, deriveMacKey, shroudKey } from './p12.ts';
import { CryptoError, type CryptoTask, type KeyResult, type P12Result, type ShroudResult } from './protocol.ts';

async function step<T>(failure: CryptoError['failure'], run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (e) {
    throw e instanceof CryptoError ? e : new CryptoError(failure, e instanceof Error ? e.message : String(e));
  }
}

/** Runs one task; failures are `CryptoError`s. */
export async function handleTask(task: CryptoTask): Promise<KeyResult | ShroudResult | P12Result | null> {
  if (!globalThis.crypto?.subtle) throw new CryptoError('NO_WEBCRYPTO', 'crypto.subtle is not available');
  switch (task.op) {
    case 'ping':
      return null;
    case 'key': {
      const keys = await step('KEY_GENERATION', () => generateKeyPair(task.keyAlgorithm));
      const csrPem = await step('CSR', () => buildCsr(keys, task.dn));
      return { privateKey: keys.privateKey, csrPem };
    }
    case 'p12':
      if (task.csrPem && !certificateMatchesCsr(task.certificates[0] ?? '', task.csrPem)) {
        throw new CryptoError('MISMATCH', 'the certificate does not carry the key of the CSR');
      }
      if (task.shroudedKey) {
        const shroudedKey = task.shroudedKey;
        return { p12: await step('P12', () => assembleP12({ ...task, shroudedKey })) };
      }
      if (!task.privateKey) throw new CryptoError('P12', 'neither a key nor an encrypted key');
      return { p12: await step('P12', () => buildP12({ ...task, privateKey: task.privateKey! })) };
    case 'shroud':
      return step('P12', async () => {
        const [shroudedKey, macKey] = await Promise.all([shroudKey(task.privateKey, task.password, task.variant), deriveMacKey(task.password, task.variant)]);
        return { shroudedKey, macKey };
      });
  }
}
