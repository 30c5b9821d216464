/**
 * A throwaway certificate authority and a server certificate for 127.0.0.1 and
 * localhost (and any made-up host names asked for), made with the `openssl` CLI (Node's
 * crypto cannot issue X.509 certificates). Tests use it to stand in for a TLS-inspecting
 * corporate proxy's CA; the screenshots, to serve the emulator under example.com names.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A CA and a leaf certificate it signed, as PEM text and as files. */
export interface TestCa {
  /** The CA certificate (PEM), what a user would put in `iamIdentityCenter.caCertificates`. */
  caPem: string;
  /** Path of the CA certificate file. */
  caPath: string;
  /** The server's private key (PEM). */
  key: string;
  /** The server's certificate (PEM), for 127.0.0.1, ::1, localhost and the host names given. */
  cert: string;
  /** Deletes the files. */
  dispose(): void;
}

/** The `openssl` version line, or undefined when the CLI is not installed. */
export function opensslVersion(): string | undefined {
  try {
    return execFileSync('openssl', ['version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return undefined;
  }
}

/** Creates a CA named `name` and a server certificate it signed for loopback and `hostNames`, valid for two days. */
export function createTestCa(name = 'IAM Identity Center Test CA', hostNames: readonly string[] = []): TestCa {
  const dir = mkdtempSync(join(tmpdir(), 'iic-test-ca-'));
  const file = (base: string): string => join(dir, base);
  const openssl = (...args: string[]): void => {
    execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  };
  try {
    const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
    openssl('req', '-x509', ...ec, '-keyout', file('ca.key'), '-out', file('ca.crt'), '-days', '2', '-subj', `/CN=${name}`,
      '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign');
    openssl('req', '-new', ...ec, '-keyout', file('leaf.key'), '-out', file('leaf.csr'), '-subj', '/CN=127.0.0.1');
    writeFileSync(
      file('leaf.ext'),
      ['basicConstraints=CA:FALSE', 'keyUsage=critical,digitalSignature', 'extendedKeyUsage=serverAuth', `subjectAltName=${['IP:127.0.0.1', 'IP:::1', 'DNS:localhost', ...hostNames.map((host) => `DNS:${host}`)].join(',')}`, ''].join('\n'),
    );
    openssl('x509', '-req', '-in', file('leaf.csr'), '-CA', file('ca.crt'), '-CAkey', file('ca.key'), '-CAcreateserial',
      '-out', file('leaf.crt'), '-days', '2', '-sha256', '-extfile', file('leaf.ext'));
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    const stderr = (error as { stderr?: Buffer }).stderr?.toString().trim();
    throw new Error(`openssl could not create the test CA${stderr ? `: ${stderr}` : ''}`, { cause: error });
  }
  return {
    caPem: readFileSync(file('ca.crt'), 'utf8'),
    caPath: file('ca.crt'),
    key: readFileSync(file('leaf.key'), 'utf8'),
    cert: readFileSync(file('leaf.crt'), 'utf8'),
    dispose: () => rmSync(dir, { recursive: true, force: true }),
  };
}
