/**
 * The extension in Chinese, inside a real VS Code whose display language is zh-cn
 * (code-server `--locale zh-cn`; the runner's phase `zh-cn`). The command palette lists
 * the commands under their Chinese titles (`package.nls.zh-cn.json`), and a sign-in
 * speaks Chinese: the UI's own texts, and the core's messages from both lazily loaded
 * bundles (`l10n/bundle.l10n.zh-cn.json`).
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { closedPort, EXTENSION_ID, Harness, openHarness, rejection, run } from '../harness';
import { Ui } from '../ui';

const SIGN_IN = 'iamIdentityCenter.signIn';
/** Any Chinese character. */
const CHINESE = /[\u4e00-\u9fff]/;

describe('In Chinese (display language zh-cn)', () => {
  let h: Harness;
  let manifestZh: Record<string, string>;
  let runtimeZh: Record<string, string>;

  before(async () => {
    h = await openHarness();
    const folder = vscode.extensions.getExtension(EXTENSION_ID)?.extensionPath ?? '';
    manifestZh = JSON.parse(fs.readFileSync(path.join(folder, 'package.nls.zh-cn.json'), 'utf8')) as Record<string, string>;
    runtimeZh = JSON.parse(fs.readFileSync(path.join(folder, 'l10n', 'bundle.l10n.zh-cn.json'), 'utf8')) as Record<string, string>;
    await vscode.workspace.getConfiguration('iamIdentityCenter').update('startUrl', `${h.emulatorUrl}/start`, vscode.ConfigurationTarget.Global);
  });

  beforeEach(async () => {
    await h.emulator.reset();
    await h.emulator.configure({ enforceInterval: false });
    await vscode.commands.executeCommand('notifications.clearAll');
  });

  afterEach(() => {
    h.testing.useInstantTime(true);
  });

  it('runs with VS Code in zh-cn', () => {
    assert.equal(vscode.env.language, 'zh-cn');
  });

  it('the command palette lists the commands under their Chinese titles', async () => {
    const ui = new Ui();
    const category = manifestZh.category;
    assert.ok(CHINESE.test(category), category);
    await vscode.commands.executeCommand('workbench.action.showCommands');
    try {
      // The palette renders only the rows in view: look each command up by its title.
      for (const key of ['command.signIn', 'command.registerClient', 'command.selectAgency', 'command.chooseRegion']) {
        const title = `${category}: ${manifestZh[key]}`;
        await ui.fill(`>${title}`);
        const shown = await ui.waitForQuickInput((state) => state.rows.some((row) => row.startsWith(title)), title);
        assert.ok(!shown.rows.some((row) => row.startsWith('IAM Identity Center:')), `no English title leads a row: ${JSON.stringify(shown.rows)}`);
      }
    } finally {
      await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
    }
  });

  it('a sign-in shows its progress in Chinese', async () => {
    await run('iamIdentityCenter.registerClient', { clientName: 'zh-cn test' });
    const shown = new Promise<void>((resolve) => {
      const stop = h.testing.onUserCode(() => {
        stop();
        resolve();
      });
    });
    // Real time, so the sign-in is still polling, its notification on screen, while it is read.
    h.testing.useInstantTime(false);
    const signingIn = rejection(run(SIGN_IN, {}));
    await shown;
    const host = new URL(h.emulatorUrl).host;
    const title = runtimeZh['Signing in to IAM Identity Center at {0}'];
    assert.ok(title && CHINESE.test(title), 'the progress title has a Chinese translation');
    const progress = await new Ui().waitForNotification((n) => n.message.includes(title.replace('{0}', host)), 'the Chinese progress title');
    h.testing.cancelSignIn();
    await signingIn;
    assert.ok(!progress.message.includes('Signing in'), progress.message);
  });

  it("the core's messages reach the user in Chinese, from the transport bundle too", async () => {
    await h.emulator.injectFault({ type: 'status', status: 503, body: { error: 'server_error' } }, { path: '/v1/device/authorize', times: 5 });
    const message = await rejection(run(SIGN_IN, {}));
    assert.ok(CHINESE.test(message), message);
    assert.ok(message.includes('HTTP 503'), message);
    assert.ok(!/\b(could not|retry)\b/i.test(message), `no English sentence: ${message}`);
  });

  it('an unreachable endpoint is named by its host and its setting by its Chinese label, with Chinese buttons', async () => {
    const config = vscode.workspace.getConfiguration('iamIdentityCenter');
    const port = await closedPort();
    await config.update('endpoint', `http://127.0.0.1:${port}`, vscode.ConfigurationTarget.Global);
    try {
      const message = await rejection(run('iamIdentityCenter.registerClient', { clientName: 'zh-cn unreachable' }));
      assert.equal(message, `无法连接到位于 127.0.0.1:${port} 的 IAM 身份中心 (ECONNREFUSED)。请检查网络连接和“终端节点”设置，然后重试。`);
      const shown = await new Ui().waitForNotification((n) => n.message === message, 'the Chinese message');
      assert.deepEqual(shown.buttons, ['重试', '打开设置', '显示日志']);
    } finally {
      await config.update('endpoint', h.emulatorUrl, vscode.ConfigurationTarget.Global);
    }
  });
});
