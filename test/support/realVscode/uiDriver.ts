/**
 * Lets tests running inside the extension host act on the workbench as a person would:
 * a loopback HTTP server in the shim, in front of the Playwright page of each window.
 * Tests reach it through `IIC_UI_DRIVER_URL` (see `test/integration/suite/ui.ts`).
 *
 *   POST /press        { window, key }      a key press, e.g. "Enter"
 *   POST /fill         { window, text }     replaces the text of the open quick input
 *   GET  /quickInput?window=N               { visible, title, value, message }
 *   POST /click        { window, label }    clicks the button of a dialog with that label
 *   GET  /notifications?window=N            [{ message, links }] of the Notifications Center,
 *                                           which must be open (`notifications.showList`)
 */
import * as http from 'http';
import type { AddressInfo } from 'net';
import type { Page } from 'playwright-core';

/** The running driver. */
export interface UiDriver {
  url: string;
  close(): Promise<void>;
}

/** A notification as rendered: its text, and the targets of any links VS Code made of it. */
export interface NotificationState {
  message: string;
  /** The `href` of each link in the message (`command:…` would run a command on a click). */
  links: string[];
}

/** What a test sees of the quick input (input box or quick pick). */
export interface QuickInputState {
  visible: boolean;
  title: string;
  value: string;
  /** The validation message under the box, '' when none. */
  message: string;
}

const QUICK_INPUT = '.quick-input-widget';

/** Starts the driver for `pages` (index = window). */
export async function startUiDriver(pages: Page[]): Promise<UiDriver> {
  const server = http.createServer((request, response) => {
    void handle(pages, request).then(
      (result) => reply(response, 200, result ?? {}),
      (error: unknown) => reply(response, 500, { error: error instanceof Error ? error.message : String(error) }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

async function handle(pages: Page[], request: http.IncomingMessage): Promise<unknown> {
  const url = new URL(request.url ?? '/', 'http://driver');
  const body = request.method === 'POST' ? await readJson(request) : {};
  const index = Number(body.window ?? url.searchParams.get('window') ?? 0);
  const page = pages[index];
  if (!page) throw new Error(`no window ${index}`);
  switch (`${request.method} ${url.pathname}`) {
    case 'POST /press':
      await page.keyboard.press(String(body.key));
      return undefined;
    case 'POST /fill':
      await page.locator(`${QUICK_INPUT} .quick-input-box input`).fill(String(body.text ?? ''));
      return undefined;
    case 'GET /quickInput':
      return quickInputState(page);
    case 'GET /notifications':
      return notificationStates(page);
    case 'POST /click':
      await page.locator('.monaco-dialog-box .dialog-buttons-row .monaco-button', { hasText: String(body.label) }).first().click({ timeout: 20_000 });
      return undefined;
    default:
      throw new Error(`unknown request ${request.method} ${url.pathname}`);
  }
}

async function notificationStates(page: Page): Promise<NotificationState[]> {
  const items = page.locator('.notifications-center .notification-list-item');
  await items.first().waitFor({ state: 'visible', timeout: 20_000 });
  const states: NotificationState[] = [];
  for (const item of await items.all()) {
    const message = item.locator('.notification-list-item-message').first();
    const links = await message.locator('a').evaluateAll((anchors) => anchors.map((anchor) => anchor.getAttribute('href') ?? ''));
    states.push({ message: ((await message.textContent()) ?? '').trim(), links });
  }
  return states;
}

async function quickInputState(page: Page): Promise<QuickInputState> {
  const widget = page.locator(QUICK_INPUT);
  const visible = await widget.isVisible();
  if (!visible) return { visible, title: '', value: '', message: '' };
  const text = async (selector: string) => ((await widget.locator(selector).first().textContent().catch(() => '')) ?? '').trim();
  return {
    visible,
    title: await text('.quick-input-title'),
    value: await widget.locator('.quick-input-box input').inputValue(),
    message: await text('.quick-input-message'),
  };
}

function readJson(request: http.IncomingMessage): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    let text = '';
    request.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
    request.on('end', () => {
      try {
        resolve(text ? (JSON.parse(text) as Record<string, unknown>) : {});
      } catch (error) {
        reject(error);
      }
    });
    request.on('error', reject);
  });
}

function reply(response: http.ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
}
