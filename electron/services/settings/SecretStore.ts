import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';

/**
 * Encrypts API keys at rest. On the desktop, main supplies an implementation over Electron's safeStorage
 * (OS keychain: Keychain, DPAPI, libsecret). Elsewhere (bridge, CLI, or a Linux session without a keyring)
 * `FileKeySecretStore` is the documented fallback: AES-256-GCM with a random key kept in a 0600 file in the
 * data folder. It protects keys from casual reading and from backups of the settings file alone, but NOT from
 * someone who can read the whole data folder — the UI says so (`kind: 'file-key'`).
 */
export interface SecretStore {
  readonly kind: 'os-keychain' | 'file-key';
  encrypt(plain: string): Promise<Buffer>;
  decrypt(sealed: Buffer): Promise<string>;
}

export class FileKeySecretStore implements SecretStore {
  readonly kind = 'file-key' as const;
  private constructor(private readonly key: Buffer) {}

  static async open(dataDir: string): Promise<FileKeySecretStore> {
    const file = path.join(dataDir, 'secret.key');
    let key: Buffer;
    try {
      key = await fs.readFile(file);
    } catch {
      key = crypto.randomBytes(32);
      await fs.mkdir(dataDir, { recursive: true });
      await fs.writeFile(file, key, { mode: 0o600, flag: 'wx' }).catch(async () => {
        key = await fs.readFile(file); // another process created it first
      });
    }
    if (key.length !== 32) throw new Error(`${file} is not a 32-byte key`);
    return new FileKeySecretStore(key);
  }

  async encrypt(plain: string): Promise<Buffer> {
    const iv = crypto.randomBytes(12);
    const cipher = crypto.createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), body]);
  }

  async decrypt(sealed: Buffer): Promise<string> {
    const decipher = crypto.createDecipheriv('aes-256-gcm', this.key, sealed.subarray(0, 12));
    decipher.setAuthTag(sealed.subarray(12, 28));
    return Buffer.concat([decipher.update(sealed.subarray(28)), decipher.final()]).toString('utf8');
  }
}
