/**
 * The emulator's verification page used as a browser would: open it, fill and submit its
 * forms at the addresses they resolve to, follow its links. Directly, and behind a proxy
 * that serves it under a path prefix and strips the prefix without rewriting the HTML, as
 * code-server's `/proxy/<port>/` does in the demo (where Copy & Open opens it).
 */
import { strict as assert } from 'node:assert';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { useEmulator } from '../support/emulatorFixture';

const DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';
/** A device-flow client as the API page documents it (scopes left to the default). */
const REGISTRATION = { client_name: 'verification page', client_type: 'public', token_endpoint_auth_method: 'client_secret_post', grant_types: [DEVICE_GRANT], response_types: ['code'] };

/** A page as a browser holds it: where it was loaded from, and what it said. */
interface LoadedPage {
  url: URL;
  status: number;
  html: string;
}

/** A form of a page, with the address its action resolves to. */
interface PageForm {
  method: string;
  target: URL;
  /** The form's own inputs with their values (hidden ones included). */
  fields: Record<string, string>;
  /** The ids of its buttons. */
  buttons: string[];
}

/**
 * Serves `target` under `prefix`: `prefix/rest` is forwarded as `/rest`, and the answer comes
 * back unchanged. Anything outside the prefix is answered by the proxy itself, as code-server
 * answers a POST to one of its own paths.
 */
async function startPrefixProxy(target: string, prefix: string): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    const requested = req.url ?? '/';
    if (!requested.startsWith(`${prefix}/`)) {
      res.writeHead(405, { 'Content-Type': 'text/plain' }).end(`Unsupported method ${req.method}`);
      return;
    }
    const forwarded = http.request(new URL(requested.slice(prefix.length), target), { method: req.method, headers: { ...req.headers, host: new URL(target).host } }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    forwarded.on('error', () => res.writeHead(502).end());
    req.pipe(forwarded);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

async function load(url: URL, init?: RequestInit): Promise<LoadedPage> {
  const response = await fetch(url, init);
  return { url, status: response.status, html: await response.text() };
}

/** The page's forms, each with its action resolved against the page's address. */
function formsOf(page: LoadedPage): PageForm[] {
  return [...page.html.matchAll(/<form method="(\w+)" action="([^"]*)">([\s\S]*?)<\/form>/g)].map(([, method, action, inner]) => ({
    method: method.toUpperCase(),
    target: new URL(action, page.url),
    fields: Object.fromEntries([...inner.matchAll(/<input[^>]*name="([^"]+)"(?:[^>]*value="([^"]*)")?/g)].map(([, name, value]) => [name, value ?? ''])),
    buttons: [...inner.matchAll(/<button id="([^"]+)"/g)].map(([, id]) => id),
  }));
}

/** The page's links, resolved against the page's address. */
function linksOf(page: LoadedPage): Map<string, URL> {
  return new Map([...page.html.matchAll(/<a href="([^"]*)">([^<]*)<\/a>/g)].map(([, href, text]) => [text, new URL(href, page.url)]));
}

/** Submits the form holding the button `buttonId`, its fields overridden by `typed`, as a browser does. */
function submit(page: LoadedPage, buttonId: string, typed: Record<string, string> = {}): Promise<LoadedPage> {
  const form = formsOf(page).find((candidate) => candidate.buttons.includes(buttonId));
  assert.ok(form, `no form with the button #${buttonId} on ${page.url.href}`);
  const data = new URLSearchParams({ ...form.fields, ...typed });
  if (form.method === 'GET') {
    const target = new URL(form.target);
    target.search = data.toString();
    return load(target);
  }
  return load(form.target, { method: form.method, body: data });
}

/** Every form action and link of `page` leads under `base`. */
function assertStaysUnder(page: LoadedPage, base: string): void {
  const targets = [...formsOf(page).map((form) => form.target), ...linksOf(page).values()];
  for (const target of targets) assert.ok(target.href.startsWith(`${base}/`), `${page.url.href} leads to ${target.href}, outside ${base}/`);
}

function messageOf(page: LoadedPage): string | undefined {
  return /<p id="message">([^<]*)<\/p>/.exec(page.html)?.[1];
}

describe('the emulator verification page, used as a browser would', () => {
  const fx = useEmulator();
  let proxy: { url: string; close(): Promise<void> };

  before(async () => {
    proxy = await startPrefixProxy(fx.emulator.url, `/proxy/${new URL(fx.emulator.url).port}`);
  });
  after(() => proxy.close());

  async function post(path: string, body: unknown): Promise<{ status: number; body: any }> { // eslint-disable-line @typescript-eslint/no-explicit-any
    const response = await fetch(fx.emulator.url + path, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    return { status: response.status, body: await response.json() };
  }

  /** Registers a client and starts a device authorization; `poll` asks for the tokens once. */
  async function startSignIn(): Promise<{ userCode: string; poll(): Promise<{ status: number; body: any }> }> { // eslint-disable-line @typescript-eslint/no-explicit-any
    const client = (await post('/v1/clients', REGISTRATION)).body.client_info;
    const device = (await post('/v1/device/authorize', { client_id: client.client_id, client_secret: client.client_secret, start_url: 'https://portal.example.com/start' })).body;
    return {
      userCode: device.user_code,
      poll: () => post('/v1/tokens', { client_id: client.client_id, client_secret: client.client_secret, grant_type: DEVICE_GRANT, device_code: device.device_code }),
    };
  }

  const bases: Array<[string, () => string]> = [
    ['directly', () => fx.emulator.url],
    ["behind a prefix-stripping proxy (code-server's /proxy/<port>/)", () => `${proxy.url}/proxy/${new URL(fx.emulator.url).port}`],
  ];

  for (const [where, baseOf] of bases) {
    describe(where, () => {
      it('takes the code from its form, then Approve approves the sign-in', async () => {
        const base = baseOf();
        const signIn = await startSignIn();
        const empty = await load(new URL(`${base}/device`));
        assert.equal(empty.status, 200);
        assertStaysUnder(empty, base);

        const confirm = await submit(empty, 'continue', { user_code: signIn.userCode });
        assert.equal(confirm.url.href, `${base}/device?user_code=${signIn.userCode}`);
        assert.equal(confirm.status, 200);
        assert.ok(confirm.html.includes(signIn.userCode));
        assertStaysUnder(confirm, base);

        const approved = await submit(confirm, 'approve');
        assert.deepEqual([approved.url.href, approved.status, messageOf(approved)], [`${base}/device/approve`, 200, 'Approved. You can close this window and return to VS Code.']);
        assert.equal((await signIn.poll()).status, 200, 'the sign-in got its tokens');
      });

      it('Deny on the page Copy & Open opens denies the sign-in', async () => {
        const base = baseOf();
        const signIn = await startSignIn();
        const confirm = await load(new URL(`${base}/device?user_code=${signIn.userCode}`));
        const denied = await submit(confirm, 'deny');
        assert.deepEqual([denied.url.href, denied.status, messageOf(denied)], [`${base}/device/deny`, 200, 'Denied. The sign-in in VS Code will stop.']);
        assert.equal((await signIn.poll()).body.error, 'access_denied');
      });

      it('an unknown code offers "Enter a code", which leads back to the code form', async () => {
        const base = baseOf();
        const unknown = await load(new URL(`${base}/device?user_code=NOPE-NOPE`));
        assert.equal(unknown.status, 404);
        assertStaysUnder(unknown, base);
        const link = linksOf(unknown).get('Enter a code');
        assert.equal(link?.href, `${base}/device`);
        const form = await load(link);
        assert.equal(form.status, 200);
        assert.deepEqual(formsOf(form).map((f) => [f.method, f.target.href, Object.keys(f.fields)]), [['GET', `${base}/device`, ['user_code']]]);
      });
    });
  }
});
