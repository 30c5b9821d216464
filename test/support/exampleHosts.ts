/**
 * The emulator reached as a real instance is, under made-up https host names on
 * example.com, for pictures that must show no loopback address or port: a throwaway CA
 * signs its certificate for those names, and a loopback proxy that resolves them itself
 * tunnels to it. No name is ever looked up: the proxy refuses a host it does not know,
 * and the verification page the emulator names is never served (approve a sign-in with
 * the emulator's control methods).
 */
import { IdentityCenterEmulator, type EmulatorOptions } from './emulator/emulator';
import { TestProxy } from './proxyServer';
import { createTestCa } from './testCa';

/** The addresses the extension is given and shows: the service's endpoints, the user portal and the verification page. */
export const EXAMPLE_HOSTS = {
  endpoint: 'https://oidc.cn-north-4.example.com',
  portalEndpoint: 'https://portal-identitycenter.example.com',
  startUrl: 'https://idcenter.example.com/d-8f3a2c91e0/portal',
  verificationUri: 'https://idcenter.example.com/device',
} as const;

/** The emulator behind the example hosts. */
export interface ExampleHostsService {
  emulator: IdentityCenterEmulator;
  proxy: TestProxy;
  /** User settings that send the extension there: the two endpoints and `http.proxy`. */
  settings: Record<string, unknown>;
  /**
   * The machine settings that trust the CA: `iamIdentityCenter.caCertificates` has machine
   * scope, so a remote window (code-server's) reads it from the remote's own settings.
   */
  machineSettings: Record<string, unknown>;
  /** Stops the emulator and the proxy and deletes the CA. */
  close(): Promise<void>;
}

/** Starts an https emulator (with `options`) answering for {@link EXAMPLE_HOSTS}, and the proxy that reaches it. */
export async function startExampleHosts(options: Omit<EmulatorOptions, 'https' | 'verificationUri'> = {}): Promise<ExampleHostsService> {
  const hosts = [EXAMPLE_HOSTS.endpoint, EXAMPLE_HOSTS.portalEndpoint].map((url) => new URL(url).hostname);
  const ca = createTestCa('IAM Identity Center Example CA', hosts);
  const closers: Array<() => Promise<void> | void> = [() => ca.dispose()];
  const close = async () => {
    for (const closer of closers.splice(0).reverse()) await closer();
  };
  try {
    const emulator = await IdentityCenterEmulator.start({ ...options, https: { key: ca.key, cert: ca.cert }, verificationUri: EXAMPLE_HOSTS.verificationUri });
    closers.push(() => emulator.close());
    const address = new URL(emulator.url).host;
    const proxy = await TestProxy.start({ names: Object.fromEntries(hosts.map((host) => [host, address])) });
    closers.push(() => proxy.close());
    const settings = {
      'iamIdentityCenter.endpoint': EXAMPLE_HOSTS.endpoint,
      'iamIdentityCenter.portalEndpoint': EXAMPLE_HOSTS.portalEndpoint,
      'http.proxy': proxy.url,
    };
    return { emulator, proxy, settings, machineSettings: { 'iamIdentityCenter.caCertificates': [ca.caPath] }, close };
  } catch (error) {
    await close();
    throw error;
  }
}
