/**
 * Lets tests running inside the extension host act on the workbench as a person would:
 * a loopback HTTP server in the shim, in front of the Playwright page of each window.
 * Tests reach it through `IIC_UI_DRIVER_URL` (see `test/integration/suite/ui.ts`).
 *
 *   POST /press        { window, key }      a key press, e.g. "Enter"
 *   POST /fill         { window, text }     replaces the text of the open quick input
 *   GET  /quickInput?window=N               { visible, title, value, message, rows, active,
 *                                           placeholder, placeholderFits }
 *   POST /quickInputButton { window, label } clicks the quick input's title button whose label
 *                                           starts with `label` (e.g. "Back")
 *   POST /click        { window, label }    clicks the button of a dialog with that label
 *   GET  /notifications?window=N            [{ message, links, buttons }] of the Notifications
 *                                           Center, which must be open (`notifications.showList`)
 *   POST /notificationButton { window, message, label }  clicks the button with that label of
 *                                           the notification whose message contains `message`
 *                                           (in the open Notifications Center)
 *   GET  /settingsEditor?window=N           { visible, query, keys } of the Settings editor
 *   GET  /sidebar?window=N                  the side bar's tree rows, welcome text and title
 *   POST /clickRow     { window, label }    clicks the tree row with that label (expands it)
 *   POST /rowAction    { window, label, action }  clicks the row's inline action of that title
 *   GET  /viewMenu?window=N&submenu=S       the side bar's More Actions (…) menu: its entries,
 *                                           and those of its submenu S (the menu is closed again)
 *   GET  /walkthrough?window=N              the steps of the open walkthrough
 *   GET  /walkthroughCuts?window=N          the walkthrough texts shown cut off (an ellipsis,
 *                                           lines clamped, a word past the edge)
 *   POST /walkthroughButton { window, label }  clicks the open step's button with that label
 *   POST /viewport     { window, width, height }  resizes the window's page
 *   POST /typeIntoSetting { window, key, text }  in the Settings editor: selects the text of
 *                                           the setting's input and types `text` key by key
 *   GET  /setting?window=N&key=K            that setting as the Settings editor shows it
 *   GET  /settingsOutline?window=N          the Settings editor's table of contents, and the
 *                                           keys of the settings shown, in order
 *   POST /focusRow     { window, label }    focuses the tree row with that label from the keyboard
 *                                           (Home, then Down), as a person does before Enter
 *   GET  /contextMenu?window=N              the entries of the open context menu (Shift+F10 on a row)
 *   POST /clickMenuItem { window, label }   clicks the entry of the open context menu with that label
 *   POST /hoverRow     { window, label }    hovers the tree row with that label; its tooltip's text
 *   GET  /statusBar?window=N                [{ id, text }] of the status bar's items
 *   POST /clickStatusItem { window, id }    clicks the status bar item whose id ends with `.<id>`
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
  /** The side bar's title as shown: the view's name, and its description when it has one. */
  title: string;
}

/** An item of the status bar, as shown. */
export interface StatusItem {
  /** `<extension id>.<item id>` for an extension's item. */
  id: string;
  /** Its text, icons left out. */
  text: string;
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
  /** The text of the active row (the one Enter accepts), '' when none. */
  active: string;
  /** The box's placeholder text, '' when none. */
  placeholder: string;
  /** Whether the placeholder fits in the box (an input never wraps it: what does not fit is cut off). */
  placeholderFits: boolean;
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
    case 'POST /quickInputButton':
      await page.locator(`${QUICK_INPUT} .quick-input-titlebar .action-label[aria-label^=${JSON.stringify(String(body.label))}]`).first().click({ timeout: 20_000 });
      return undefined;
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
      // From outside the row: a pointer already on it (after a click) would not show its actions.
      await page.mouse.move(0, 0);
      await row.hover({ timeout: 20_000 });
      await row.locator(`.action-label[aria-label="${String(body.action)}"]`).click({ timeout: 20_000 });
      return undefined;
    }
    case 'GET /viewMenu':
      return viewMenu(page, url.searchParams.get('submenu') ?? '');
    case 'GET /walkthroughCuts':
      return walkthroughCuts(page);
    case 'POST /walkthroughButton':
      await page.locator(`${EXPANDED_STEP} .step-description-container .monaco-button`, { hasText: String(body.label) }).first().click({ timeout: 20_000 });
      return undefined;
    case 'POST /viewport':
      await page.setViewportSize({ width: Number(body.width), height: Number(body.height) });
      return undefined;
    case 'POST /typeIntoSetting':
      await typeIntoSetting(page, String(body.key), String(body.text ?? ''));
      return undefined;
    case 'GET /setting':
      return settingState(page, url.searchParams.get('key') ?? '');
    case 'GET /settingsOutline':
      return settingsOutline(page);
    case 'POST /focusRow':
      await focusRow(page, String(body.label));
      return undefined;
    case 'GET /contextMenu':
      return contextMenuEntries(page);
    case 'POST /clickMenuItem':
      await clickMenuItem(page, String(body.label));
      return undefined;
    case 'POST /hoverRow':
      return rowTooltip(page, String(body.label));
    case 'GET /statusBar':
      return statusItems(page);
    case 'POST /clickStatusItem':
      await page.locator(`.statusbar-item[id$=${JSON.stringify(`.${String(body.id)}`)}]`).first().click({ timeout: 20_000 });
      return undefined;
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

/** The step of the walkthrough that is open, its description and buttons shown. */
const EXPANDED_STEP = '.getting-started-step.expanded';

/**
 * What the walkthrough shows cut off, each as "<what>: <its text>": the walkthrough's title
 * and description (clamped to three lines), a step title cut with an ellipsis (steps that
 * are not open show theirs on one line), and a line of the open step's description or a
 * button that runs past the step's box, which clips it (VS Code widens the text column
 * to fit whatever cannot wrap in it).
 */
async function walkthroughCuts(page: Page): Promise<string[]> {
  return page.evaluate((expanded) => {
    interface Box { left: number; right: number }
    interface Measured extends DomElement {
      scrollWidth: number;
      clientWidth: number;
      scrollHeight: number;
      clientHeight: number;
      getBoundingClientRect(): Box;
      children: Iterable<Measured>;
    }
    const root = (globalThis as unknown as { document: DomElement & { createRange(): { selectNodeContents(node: unknown): void; getClientRects(): Iterable<Box> } } }).document;
    const cuts: string[] = [];
    const text = (element: DomElement) => (element.textContent ?? '').trim();
    const clipped = (element: Measured | null) => element !== null && (element.scrollWidth > element.clientWidth + 1 || element.scrollHeight > element.clientHeight + 1);
    const title = root.querySelector('.getting-started-category .category-title') as Measured | null;
    if (clipped(title)) cuts.push(`title: ${text(title as Measured)}`);
    const description = root.querySelector('.getting-started-category .category-description') as Measured | null;
    if (clipped(description)) cuts.push(`description: ${text(description as Measured)}`);
    for (const step of root.querySelectorAll('.getting-started-step[data-step-id] .step-title')) if (clipped(step as Measured)) cuts.push(`step title: ${text(step)}`);
    const open = root.querySelector(expanded) as Measured | null;
    const parts = root.querySelector(`${expanded} .step-description-container`) as Measured | null;
    if (!open || !parts) return cuts;
    const edge = open.getBoundingClientRect().right;
    for (const part of parts.children) {
      const range = root.createRange();
      range.selectNodeContents(part);
      if ([...range.getClientRects()].some((line) => line.right > edge + 0.5)) cuts.push(`step description: ${text(part)}`);
    }
    return cuts;
  }, EXPANDED_STEP);
}

/** What a test sees of the side bar's More Actions (…) menu. */
export interface ViewMenuState {
  /** The menu's entries, separators left out. */
  items: string[];
  /** The entries of the submenu asked for, [] when it is not there. */
  submenu: string[];
}

/** Opens the side bar's More Actions (…) menu and the submenu labelled `submenu`, reads them, and closes them. */
async function viewMenu(page: Page, submenu: string): Promise<ViewMenuState> {
  await page.locator(`${SIDEBAR} .composite.title .action-label.codicon-toolbar-more`).first().click({ timeout: 20_000 });
  const menus = page.locator('.context-view .monaco-menu');
  const entries = (menu: number) => menus.nth(menu).locator('.action-item:not(.disabled) .action-label:not(.separator)').allInnerTexts();
  try {
    await menus.first().waitFor({ state: 'visible', timeout: 20_000 });
    const items = (await entries(0)).map((text) => text.trim()).filter(Boolean);
    if (!items.includes(submenu)) return { items, submenu: [] };
    await menus.first().locator('.action-label', { hasText: submenu }).first().hover();
    await menus.nth(1).waitFor({ state: 'visible', timeout: 20_000 });
    return { items, submenu: (await entries(1)).map((text) => text.trim()).filter(Boolean) };
  } finally {
    await page.keyboard.press('Escape');
    await page.keyboard.press('Escape');
  }
}

/** A setting as the Settings editor shows it. */
export interface SettingState {
  /** The label VS Code makes of the key, e.g. "Start Url" ("Iam Identity Center: " before it in search results). */
  label: string;
  description: string;
  /** The text of its input box. */
  value: string;
  /** The validation message shown under it, '' when none. */
  message: string;
}

function settingRow(page: Page, key: string) {
  return page.locator(`.settings-editor .setting-item-contents[data-key="${key}"]`).first();
}

/** Selects the text of the setting's input box and types `text`, key by key, as a person does. */
async function typeIntoSetting(page: Page, key: string, text: string): Promise<void> {
  const input = settingRow(page, key).locator('.setting-item-control input').first();
  for (let attempt = 1; ; attempt++) {
    await input.click({ timeout: 20_000 });
    await page.keyboard.press('ControlOrMeta+A');
    if (text) await page.keyboard.type(text, { delay: 20 });
    else await page.keyboard.press('Backspace');
    // The editor may draw the row again while the keys arrive, and the first ones are lost
    // ("jing 4" for "Beijing 4" late in a long run): type it again, as a person would.
    if (attempt === 3 || (await input.inputValue().catch(() => undefined)) === text) return;
  }
}

/** The Settings editor's table of contents and the settings it shows. */
export interface SettingsOutline {
  /** The table of contents' rows as shown, without their counts: "Extensions", "IAM Identity Center", … */
  toc: string[];
  /** The keys of the settings in view, in the order shown. */
  keys: string[];
}

/**
 * Scrolls the Settings editor's list to its top, as a person does with the mouse wheel.
 * VS Code reopens the editor where an earlier one was scrolled to (after an Open Settings
 * that showed one setting, say), and its list draws only the rows in view.
 */
async function scrollSettingsToTop(page: Page): Promise<void> {
  const tree = page.locator('.settings-editor .settings-tree-container');
  await tree.waitFor({ state: 'visible', timeout: 20_000 });
  await tree.hover();
  await page.mouse.wheel(0, -100_000);
}

async function settingsOutline(page: Page): Promise<SettingsOutline> {
  await page.locator('.settings-editor .setting-item-contents[data-key]').first().waitFor({ state: 'visible', timeout: 20_000 });
  await scrollSettingsToTop(page);
  return page.evaluate(() => {
    const root = (globalThis as unknown as { document: DomElement }).document;
    const toc = [...root.querySelectorAll('.settings-editor .settings-toc-container .monaco-list-row')].map((row) => (row.querySelector('.settings-toc-entry')?.textContent ?? row.textContent ?? '').trim());
    const keys = [...root.querySelectorAll('.settings-editor .settings-tree-container .setting-item-contents[data-key]')].map((row) => row.getAttribute('data-key') ?? '');
    return { toc, keys };
  });
}

async function settingState(page: Page, key: string): Promise<SettingState> {
  const row = settingRow(page, key);
  if ((await row.count()) === 0) await scrollSettingsToTop(page);
  await row.waitFor({ state: 'visible', timeout: 20_000 });
  const text = async (selector: string) => ((await row.locator(selector).first().textContent().catch(() => '')) ?? '').trim();
  return {
    label: `${await text('.setting-item-category')}${await text('.setting-item-label')}`,
    description: await text('.setting-item-description'),
    value: await row.locator('.setting-item-control input').first().inputValue().catch(() => ''),
    // VS Code hides the message of a valid value without clearing its text.
    message: (await row.locator('.setting-item-validation-message').first().isVisible()) ? await text('.setting-item-validation-message') : '',
  };
}

const SIDEBAR = '.part.sidebar';

function treeRow(page: Page, label: string) {
  return page.locator(`${SIDEBAR} .monaco-list-row`).filter({ has: page.locator('.label-name', { hasText: label }) }).first();
}

/**
 * Moves the keyboard focus to the tree row labelled `label` as a person does, with Up and
 * Down in its list (clicking would run the row's command). The tree may redraw meanwhile,
 * so each step looks again at where the focus is.
 */
async function focusRow(page: Page, label: string): Promise<void> {
  const row = treeRow(page, label);
  await row.waitFor({ state: 'visible', timeout: 20_000 });
  const list = page.locator(`${SIDEBAR} .monaco-list`).filter({ has: page.locator('.label-name', { hasText: label }) }).first();
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    if (!(await list.evaluate((element) => element.contains((element.ownerDocument as unknown as { activeElement: unknown }).activeElement as never)))) await list.focus();
    const target = Number(await row.getAttribute('data-index'));
    const focused = await list.locator('.monaco-list-row.focused').first().getAttribute('data-index', { timeout: 1_000 }).catch(() => null);
    if (focused === null) await page.keyboard.press('Home');
    else if (Number(focused) === target) return;
    else await page.keyboard.press(Number(focused) < target ? 'ArrowDown' : 'ArrowUp');
  }
  throw new Error(`no keyboard focus on the row ${label}`);
}

const CONTEXT_MENU = '.context-view .monaco-menu';

async function contextMenuEntries(page: Page): Promise<string[]> {
  await page.locator(CONTEXT_MENU).first().waitFor({ state: 'visible', timeout: 20_000 });
  const texts = await page.locator(`${CONTEXT_MENU} .action-item .action-label`).allInnerTexts();
  return texts.map((text) => text.trim()).filter((text) => text.length > 0);
}

/**
 * Clicks the context menu's entry `label` and waits for the menu to close; once more if
 * it stays open (a menu just opened can let the first click pass).
 */
async function clickMenuItem(page: Page, label: string): Promise<void> {
  const menu = page.locator(CONTEXT_MENU).first();
  for (let attempt = 0; ; attempt++) {
    await page.locator(`${CONTEXT_MENU} .action-item`, { hasText: label }).first().click({ timeout: 20_000 });
    const closed = await menu.waitFor({ state: 'hidden', timeout: 2_000 }).then(() => true, () => false);
    if (closed) return;
    if (attempt > 0) throw new Error(`the context menu stayed open after clicking ${label}`);
  }
}

/**
 * Hovers the row `label` until its tooltip shows; the tooltip's text. The pointer comes
 * from outside the row each time (a pointer already on it shows nothing new), moves on
 * it as a hand does, and leaves again; a hover the workbench dropped (the row redrawn
 * under it) is tried again.
 */
async function rowTooltip(page: Page, label: string): Promise<string> {
  const hover = page.locator('.workbench-hover, .monaco-hover').filter({ visible: true }).first();
  const row = treeRow(page, label);
  for (let attempt = 1; ; attempt++) {
    await page.mouse.move(0, 400);
    await hover.waitFor({ state: 'hidden', timeout: 5_000 }).catch(() => undefined);
    // The tooltip belongs to the row's label, right of its indent and icon.
    const box = await row.locator('.label-name').first().boundingBox({ timeout: 20_000 });
    if (!box) throw new Error(`the row ${label} is not shown`);
    await page.mouse.move(box.x + 2, box.y + box.height / 2, { steps: 5 });
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2, { steps: 5 });
    const shown = await hover.waitFor({ state: 'visible', timeout: 5_000 }).then(() => true, () => false);
    if (shown) {
      const text = await hover.innerText();
      await page.mouse.move(0, 400);
      return text.trim();
    }
    if (attempt === 4) throw new Error(`no tooltip showed over the row ${label}`);
  }
}

async function statusItems(page: Page): Promise<StatusItem[]> {
  return page.evaluate(() =>
    [...(globalThis as unknown as { document: DomElement }).document.querySelectorAll('.statusbar-item')].map((item) => ({
      id: item.getAttribute('id') ?? '',
      text: (item.querySelector('.statusbar-item-label')?.textContent ?? '').trim(),
    })),
  );
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
    return { rows, welcome: text(sidebar, '.welcome-view-content'), message: text(sidebar, '.tree-explorer-viewlet-tree-view .message'), title: text(sidebar, '.composite.title') };
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
  if (!visible) return { visible, title: '', value: '', message: '', rows: [], active: '', placeholder: '', placeholderFits: true };
  const text = async (selector: string) => ((await widget.locator(selector).first().textContent().catch(() => '')) ?? '').trim();
  const input = widget.locator('.quick-input-box input');
  return {
    visible,
    title: await text('.quick-input-title'),
    value: await widget.locator('.quick-input-box input').inputValue(),
    message: await text('.quick-input-message'),
    rows: await widget.locator('.quick-input-list .monaco-list-row').allInnerTexts(),
    active: ((await widget.locator('.quick-input-list .monaco-list-row.focused').allInnerTexts())[0] ?? '').trim(),
    placeholder: (await input.getAttribute('placeholder')) ?? '',
    placeholderFits: await input.evaluate(placeholderFits),
  };
}

/** Whether an input's placeholder, drawn in the input's font, fits between its paddings (runs in the page). */
function placeholderFits(input: unknown): boolean {
  interface Input { placeholder: string; clientWidth: number }
  interface Style { font: string; paddingLeft: string; paddingRight: string }
  interface Context { font: string; measureText(text: string): { width: number } }
  const page = globalThis as unknown as {
    getComputedStyle(element: unknown): Style;
    document: { createElement(tag: 'canvas'): { getContext(kind: '2d'): Context } };
  };
  const box = input as Input;
  const style = page.getComputedStyle(box);
  const context = page.document.createElement('canvas').getContext('2d');
  context.font = style.font;
  const room = box.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
  return context.measureText(box.placeholder).width <= room + 0.5;
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
