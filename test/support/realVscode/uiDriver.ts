/**
 * Lets tests running inside the extension host act on the workbench as a person would:
 * a loopback HTTP server in the shim, in front of the Playwright page of each window.
 * Tests reach it through `IIC_UI_DRIVER_URL` (see `test/integration/suite/ui.ts`).
 *
 *   POST /press        { window, key }      a key press, e.g. "Enter"
 *   POST /fill         { window, text }     replaces the text of the open quick input
 *   GET  /quickInput?window=N               { visible, title, value, message }
 *   POST /click        { window, label }    clicks the button of a dialog with that label
 *   GET  /notifications?window=N            [{ message, links, buttons }] of the Notifications
 *                                           Center, which must be open (`notifications.showList`)
 *   POST /notificationButton { window, message, label }  clicks the button with that label of
 *                                           the notification whose message contains `message`
 *                                           (in the open Notifications Center)
 *   GET  /settingsEditor?window=N           { visible, query, keys } of the Settings editor
 *   GET  /sidebar?window=N                  the side bar's tree rows and welcome text
 *   POST /clickRow     { window, label }    clicks the tree row with that label (expands it)
 *   POST /rowAction    { window, label, action }  clicks the row's inline action of that title
 */
import * as http from 'http';
import type { AddressInfo } from 'net';
import type { Page } from 'playwright-core';

/** The running driver. */
export interface UiDriver {
  url: string;
  close(): Promise<void>;
}

/** A notification as rendered: its text, the targets of any links VS Code made of it, and its buttons. */
export interface NotificationState {
  message: string;
  /** The `href` of each link in the message (`command:…` would run a command on a click). */
  links: string[];
  /** The label of each button, in order (VS Code renders a notification with buttons expanded). */
  buttons: string[];
}

/** What the Settings editor shows: its search text and the id of each setting listed. */
export interface SettingsEditorState {
  visible: boolean;
  query: string;
  keys: string[];
}

/** A row of a tree in the side bar. */
export interface TreeRow {
  label: string;
  description: string;
  /** 1 for top-level items. */
  level: number;
  /** 'true', 'false', or '' for a leaf. */
  expanded: string;
  /** The codicon of the row's icon (e.g. 'error'), '' when it has none. */
  icon: string;
}

/** What a test sees of the side bar: its tree rows, and any welcome content shown instead. */
export interface SidebarState {
  rows: TreeRow[];
  welcome: string;
  /** The message a tree view shows above its rows (an error, say), '' when none. */
  message: string;
}

/** What a test sees of the quick input (input box or quick pick). */
export interface QuickInputState {
  visible: boolean;
  title: string;
  value: string;
  /** The validation message under the box, '' when none. */
  message: string;
  /** The text of each list row shown (a quick pick's items, the palette's commands). */
  rows: string[];
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
    case 'POST /notificationButton':
      await page
        .locator('.notifications-center .notification-list-item')
        .filter({ has: page.locator('.notification-list-item-message', { hasText: String(body.message) }) })
        .first()
        .locator('.notification-list-item-buttons-container .monaco-button', { hasText: String(body.label) })
        .first()
        .click({ timeout: 20_000 });
      return undefined;
    case 'GET /settingsEditor':
      return settingsEditorState(page);
    case 'GET /walkthrough':
      return walkthroughSteps(page);
    case 'GET /sidebar':
      return sidebarState(page);
    case 'POST /clickRow':
      await treeRow(page, String(body.label)).click({ timeout: 20_000 });
      return undefined;
    case 'POST /rowAction': {
      const row = treeRow(page, String(body.label));
      await row.hover({ timeout: 20_000 });
      await row.locator(`.action-label[aria-label="${String(body.action)}"]`).click({ timeout: 20_000 });
      return undefined;
    }
    case 'POST /click':
      await page.locator('.monaco-dialog-box .dialog-buttons-row .monaco-button', { hasText: String(body.label) }).first().click({ timeout: 20_000 });
      return undefined;
    default:
      throw new Error(`unknown request ${request.method} ${url.pathname}`);
  }
}

async function notificationStates(page: Page): Promise<NotificationState[]> {
  await page.locator('.notifications-center .notification-list-item').first().waitFor({ state: 'visible', timeout: 20_000 });
  // One read of the DOM: notifications come and go, and a locator per item would wait
  // for one that has just gone.
  return page.evaluate(() => {
    const root = (globalThis as unknown as { document: DomElement }).document;
    return [...root.querySelectorAll('.notifications-center .notification-list-item')].map((item) => {
      const message = item.querySelector('.notification-list-item-message');
      const links = [...(message?.querySelectorAll('a') ?? [])].map((anchor) => anchor.getAttribute('href') ?? '');
      const buttons = [...item.querySelectorAll('.notification-list-item-buttons-container .monaco-button')].map((button) => (button.textContent ?? '').trim());
      return { message: (message?.textContent ?? '').trim(), links, buttons };
    });
  });
}

/** One step of the walkthrough shown in the editor, as its checklist renders it. */
export interface WalkthroughStep {
  /** `<publisher>.<name>#<walkthrough>#<step>`. */
  id: string;
  title: string;
  /** Whether its circle is ticked (the step's completion event happened). */
  done: boolean;
}

async function walkthroughSteps(page: Page): Promise<WalkthroughStep[]> {
  return page.evaluate(() => {
    const root = (globalThis as unknown as { document: DomElement }).document;
    return [...root.querySelectorAll('.getting-started-step[data-step-id]')].map((step) => ({
      id: step.getAttribute('data-step-id') ?? '',
      title: (step.querySelector('.step-title')?.textContent ?? '').trim(),
      done: step.getAttribute('aria-checked') === 'true',
    }));
  });
}

const SIDEBAR = '.part.sidebar';

function treeRow(page: Page, label: string) {
  return page.locator(`${SIDEBAR} .monaco-list-row`).filter({ has: page.locator('.label-name', { hasText: label }) }).first();
}

/** The little of the DOM the page-side functions use (the tests compile without the DOM library). */
interface DomElement {
  textContent: string | null;
  querySelector(css: string): DomElement | null;
  querySelectorAll(css: string): Iterable<DomElement>;
  getAttribute(name: string): string | null;
}

async function sidebarState(page: Page): Promise<SidebarState> {
  // One read of the DOM: a missing element is '' at once, rather than a locator's wait.
  return page.evaluate((selector) => {
    const text = (root: DomElement | null, css: string) => (root?.querySelector(css)?.textContent ?? '').trim();
    const sidebar = (globalThis as unknown as { document: DomElement }).document.querySelector(selector);
    const rows = [...(sidebar?.querySelectorAll('.monaco-list-row') ?? [])].map((row) => ({
      label: text(row, '.label-name'),
      description: text(row, '.label-description'),
      level: Number(row.getAttribute('aria-level') ?? 0),
      expanded: row.getAttribute('aria-expanded') ?? '',
      icon: /\bcodicon-([\w-]+)/.exec(row.querySelector('.custom-view-tree-node-item-icon')?.getAttribute('class') ?? '')?.[1] ?? '',
    }));
    return { rows, welcome: text(sidebar, '.welcome-view-content'), message: text(sidebar, '.tree-explorer-viewlet-tree-view .message') };
  }, SIDEBAR);
}

async function settingsEditorState(page: Page): Promise<SettingsEditorState> {
  return page.evaluate(() => {
    const editor = (globalThis as unknown as { document: DomElement }).document.querySelector('.settings-editor');
    if (!editor) return { visible: false, query: '', keys: [] };
    const query = (editor.querySelector('.settings-header .search-container .view-lines')?.textContent ?? '').replace(/\u00a0/g, ' ').trim();
    const keys = [...editor.querySelectorAll('.settings-tree-container [data-key]')].map((row) => row.getAttribute('data-key') ?? '');
    return { visible: true, query, keys: [...new Set(keys)] };
  });
}

async function quickInputState(page: Page): Promise<QuickInputState> {
  const widget = page.locator(QUICK_INPUT);
  const visible = await widget.isVisible();
  if (!visible) return { visible, title: '', value: '', message: '', rows: [] };
  const text = async (selector: string) => ((await widget.locator(selector).first().textContent().catch(() => '')) ?? '').trim();
  return {
    visible,
    title: await text('.quick-input-title'),
    value: await widget.locator('.quick-input-box input').inputValue(),
    message: await text('.quick-input-message'),
    rows: await widget.locator('.quick-input-list .monaco-list-row').allInnerTexts(),
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
