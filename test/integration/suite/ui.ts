/**
 * The tests' side of the UI driver (`test/support/realVscode/uiDriver.ts`): keys, the
 * quick input and dialog buttons of this test's own workbench window.
 */
import { strict as assert } from 'node:assert';
import * as http from 'node:http';
import * as vscode from 'vscode';
import { waitUntil } from './harness';
import type { NotificationState, QuickInputState, SettingsEditorState, SettingState, SettingsOutline, SidebarState, StatusItem, ViewMenuState, WalkthroughStep } from '../../support/realVscode/uiDriver';

/** Drives this window's workbench. */
export class Ui {
  private readonly window = Number(process.env.IIC_WINDOW_INDEX ?? 0);

  constructor(private readonly url: string = process.env.IIC_UI_DRIVER_URL ?? '') {
    assert.ok(this.url, 'the shim sets IIC_UI_DRIVER_URL');
  }

  /** Presses a key, e.g. "Enter". */
  press(key: string): Promise<unknown> {
    return this.call('POST', '/press', { key });
  }

  /** Replaces the text of the open input box, as typing would. */
  fill(text: string): Promise<unknown> {
    return this.call('POST', '/fill', { text });
  }

  /** Clicks the dialog button labelled `label`. */
  click(label: string): Promise<unknown> {
    return this.call('POST', '/click', { label });
  }

  /** The notifications as the Notifications Center renders them (it is opened, then closed). */
  async notifications(): Promise<NotificationState[]> {
    await vscode.commands.executeCommand('notifications.showList');
    try {
      return (await this.call('GET', `/notifications?window=${this.window}`)) as NotificationState[];
    } finally {
      await vscode.commands.executeCommand('notifications.hideList');
    }
  }

  /** Waits until a rendered notification satisfies `check`, and returns it. */
  async waitForNotification(check: (state: NotificationState) => boolean, what: string): Promise<NotificationState> {
    const found = await waitUntil(async () => (await this.notifications()).find(check), (state) => state !== undefined, () => `no notification showed ${what}`);
    return found as NotificationState;
  }

  /** Clicks the button `label` of the notification whose message contains `message`, in the Notifications Center. */
  async clickNotificationButton(message: string, label: string): Promise<void> {
    await vscode.commands.executeCommand('notifications.showList');
    try {
      await this.call('POST', '/notificationButton', { message, label });
    } finally {
      await vscode.commands.executeCommand('notifications.hideList');
    }
  }

  /** Waits until the Settings editor satisfies `check`, and returns what it shows. */
  async waitForSettingsEditor(check: (state: SettingsEditorState) => boolean, what: string): Promise<SettingsEditorState> {
    const deadline = Date.now() + 20_000;
    for (;;) {
      const state = (await this.call('GET', `/settingsEditor?window=${this.window}`)) as SettingsEditorState;
      if (check(state)) return state;
      if (Date.now() > deadline) assert.fail(`the Settings editor never showed ${what}; last: ${JSON.stringify(state)}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /** The steps of the walkthrough open in the editor, with whether each is done. */
  walkthrough(): Promise<WalkthroughStep[]> {
    return this.call('GET', `/walkthrough?window=${this.window}`) as Promise<WalkthroughStep[]>;
  }

  /** Waits until the walkthrough's steps satisfy `check`. */
  waitForWalkthrough(check: (steps: WalkthroughStep[]) => boolean, what: string): Promise<WalkthroughStep[]> {
    return waitUntil(() => this.walkthrough(), check, (steps) => `the walkthrough never showed ${what}; last: ${JSON.stringify(steps)}`);
  }

  /** The walkthrough texts shown cut off now, [] when everything fits. */
  walkthroughCuts(): Promise<string[]> {
    return this.call('GET', `/walkthroughCuts?window=${this.window}`) as Promise<string[]>;
  }

  /** Clicks the open walkthrough step's button labelled `label`. */
  clickWalkthroughButton(label: string): Promise<unknown> {
    return this.call('POST', '/walkthroughButton', { label });
  }

  /** Resizes the window's page, e.g. to the 1024×768 a first desktop window opens at. */
  resize(width: number, height: number): Promise<unknown> {
    return this.call('POST', '/viewport', { width, height });
  }

  /** The side bar's More Actions (…) menu and its submenu `submenu`. */
  viewMenu(submenu: string): Promise<ViewMenuState> {
    return this.call('GET', `/viewMenu?window=${this.window}&submenu=${encodeURIComponent(submenu)}`) as Promise<ViewMenuState>;
  }

  /** In the open Settings editor, replaces the text of setting `key`'s input by typing `text`. */
  typeIntoSetting(key: string, text: string): Promise<unknown> {
    return this.call('POST', '/typeIntoSetting', { key, text });
  }

  /** Setting `key` as the open Settings editor shows it. */
  setting(key: string): Promise<SettingState> {
    return this.call('GET', `/setting?window=${this.window}&key=${encodeURIComponent(key)}`) as Promise<SettingState>;
  }

  /** The open Settings editor's table of contents and the keys of the settings in view. */
  settingsOutline(): Promise<SettingsOutline> {
    return this.call('GET', `/settingsOutline?window=${this.window}`) as Promise<SettingsOutline>;
  }

  /** Waits until setting `key` in the Settings editor satisfies `check`. */
  async waitForSetting(key: string, check: (state: SettingState) => boolean, what: string): Promise<SettingState> {
    const read = () => this.setting(key).catch(() => undefined);
    const state = await waitUntil(read, (shown) => shown !== undefined && check(shown), (shown) => `the Settings editor never showed ${what}; last: ${JSON.stringify(shown)}`);
    return state as SettingState;
  }

  /** The side bar's tree rows and welcome content as shown now. */
  sidebar(): Promise<SidebarState> {
    return this.call('GET', `/sidebar?window=${this.window}`) as Promise<SidebarState>;
  }

  /** Waits until the side bar satisfies `check`. */
  waitForSidebar(check: (state: SidebarState) => boolean, what: string): Promise<SidebarState> {
    return waitUntil(() => this.sidebar(), check, (state) => `the side bar never showed ${what}; last: ${JSON.stringify(state)}`);
  }

  /** Clicks the tree row labelled `label` (expanding or collapsing it). */
  clickRow(label: string): Promise<unknown> {
    return this.call('POST', '/clickRow', { label });
  }

  /** Clicks the inline action titled `action` of the tree row labelled `label`. */
  rowAction(label: string, action: string): Promise<unknown> {
    return this.call('POST', '/rowAction', { label, action });
  }

  /** Clicks the quick input's title button whose label starts with `label`, e.g. "Back". */
  quickInputButton(label: string): Promise<unknown> {
    return this.call('POST', '/quickInputButton', { label });
  }

  /** Moves the keyboard focus to the tree row labelled `label` (Home, then Down), without running its command. */
  focusRow(label: string): Promise<unknown> {
    return this.call('POST', '/focusRow', { label });
  }

  /** Hovers the tree row labelled `label`; the text of its tooltip. */
  rowTooltip(label: string): Promise<string> {
    return this.call('POST', '/hoverRow', { label }) as Promise<string>;
  }

  /** The entries of the open context menu (e.g. after Shift+F10 on a focused row), once it shows. */
  contextMenu(): Promise<string[]> {
    return this.call('GET', `/contextMenu?window=${this.window}`) as Promise<string[]>;
  }

  /** Clicks the entry labelled `label` of the open context menu. */
  clickMenuItem(label: string): Promise<unknown> {
    return this.call('POST', '/clickMenuItem', { label });
  }

  /** The status bar's items as shown now. */
  statusBar(): Promise<StatusItem[]> {
    return this.call('GET', `/statusBar?window=${this.window}`) as Promise<StatusItem[]>;
  }

  /** Waits until the status bar item whose id ends with `.<id>` satisfies `check`, and returns it. */
  async waitForStatusItem(id: string, check: (item: StatusItem) => boolean, what: string): Promise<StatusItem> {
    const deadline = Date.now() + 20_000;
    for (;;) {
      const item = (await this.statusBar()).find((candidate) => candidate.id.endsWith(`.${id}`));
      if (item && check(item)) return item;
      if (Date.now() > deadline) assert.fail(`the status bar item ${id} never showed ${what}; last: ${JSON.stringify(item)}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /** Clicks the status bar item whose id ends with `.<id>`, as a person does. */
  clickStatusItem(id: string): Promise<unknown> {
    return this.call('POST', '/clickStatusItem', { id });
  }

  /** The quick input as shown now. */
  quickInput(): Promise<QuickInputState> {
    return this.call('GET', `/quickInput?window=${this.window}`) as Promise<QuickInputState>;
  }

  /** Waits until the quick input satisfies `check` (it updates as the extension host answers). */
  waitForQuickInput(check: (state: QuickInputState) => boolean, what: string): Promise<QuickInputState> {
    return waitUntil(() => this.quickInput(), check, (state) => `the quick input never showed ${what}; last: ${JSON.stringify(state)}`, 50);
  }

  private call(method: string, path: string, body?: object): Promise<unknown> {
    const payload = body ? JSON.stringify({ ...body, window: this.window }) : undefined;
    return new Promise((resolve, reject) => {
      const request = http.request(`${this.url}${path}`, { method, headers: { 'content-type': 'application/json' }, agent: false }, (response) => {
        let text = '';
        response.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
        response.on('end', () => {
          const parsed = text ? JSON.parse(text) : {};
          if (response.statusCode === 200) resolve(parsed);
          else reject(new Error(`UI driver ${path}: ${parsed.error ?? response.statusCode}`));
        });
      });
      request.on('error', reject);
      request.end(payload);
    });
  }
}
