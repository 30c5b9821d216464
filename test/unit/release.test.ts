/**
 * The release workflow cannot run here (it publishes), so this test holds it to what can
 * be checked: the YAML is valid, it runs on a version tag, every command in it is one
 * the tests or `npm run package` already run, every tool it calls is installed and
 * knows the options used, tokens come only from repository secrets, and the tag check
 * refuses a tag of another version.
 */
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';

const REPO = resolve(__dirname, '..', '..', '..');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { releaseTagProblem } = require(join(REPO, 'scripts', 'checkReleaseTag.js')) as { releaseTagProblem(tag: unknown, version: string): string | undefined };

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  env?: Record<string, string>;
  with?: Record<string, unknown>;
}

const manifest = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { version: string; scripts: Record<string, string>; devDependencies: Record<string, string> };
const workflow = parse(readFileSync(join(REPO, '.github', 'workflows', 'release.yml'), 'utf8')) as {
  on: { push: { tags: string[] } };
  permissions: Record<string, string>;
  jobs: Record<string, { steps: Step[] }>;
};
const steps = Object.values(workflow.jobs).flatMap((job) => job.steps);
const commands = steps.filter((step) => step.run).map((step) => step.run as string);

describe('the release workflow', () => {
  it('is valid YAML that runs on version tags only', () => {
    assert.deepEqual(Object.keys(workflow.on), ['push']);
    assert.deepEqual(workflow.on.push.tags, ['v*.*.*']);
    assert.equal(workflow.permissions.contents, 'write');
  });

  it('tests, packages, publishes to both registries and attaches the .vsix, in that order', () => {
    const order = ['npm test', 'npm run package', 'npx vsce publish', 'npx ovsx publish'].map((prefix) => commands.findIndex((command) => command.startsWith(prefix)));
    assert.ok(order.every((index, i) => index >= 0 && (i === 0 || index > order[i - 1])), `order: ${order.join(', ')}`);
    const attach = steps.find((step) => step.uses?.startsWith('softprops/action-gh-release@'));
    const vsix = /--out (\S+)/.exec(manifest.scripts.package)?.[1];
    assert.ok(vsix, 'npm run package names its output');
    assert.equal(attach?.with?.files, vsix);
    for (const command of commands.filter((c) => c.includes('publish'))) assert.ok(command.includes(`--packagePath ${vsix}`), command);
  });

  it('runs only commands the tests and npm run package run, with installed tools', () => {
    for (const command of commands) {
      const [tool, sub] = command.split(/\s+/);
      if (tool === 'npm' && sub === 'run') assert.ok(manifest.scripts[command.split(/\s+/)[2]], command);
      else if (tool === 'npm') assert.ok(['test', 'install'].includes(sub), command);
      else if (tool === 'npx') assert.ok(manifest.devDependencies[sub === 'vsce' ? '@vscode/vsce' : sub], `${sub} is a devDependency`);
      else assert.equal(tool, 'node', command);
    }
  });

  it('the publish commands accept the options used (their help runs offline)', function () {
    this.timeout(30_000);
    for (const tool of ['vsce', 'ovsx']) {
      const help = execFileSync(join(REPO, 'node_modules', '.bin', tool), ['publish', '--help'], { encoding: 'utf8' });
      assert.match(help, /--packagePath/, tool);
    }
  });

  it('takes tokens only from repository secrets, in the environment of the step that needs them', () => {
    const tokens = steps.flatMap((step) => Object.entries(step.env ?? {}));
    assert.deepEqual(tokens.map(([name]) => name).sort(), ['OVSX_PAT', 'VSCE_PAT']);
    for (const [name, value] of tokens) assert.equal(value, `\${{ secrets.${name} }}`);
    for (const command of commands) assert.ok(!/secrets\.|_PAT/.test(command), command);
  });

  it('the tag check refuses a tag of another version', () => {
    assert.equal(releaseTagProblem(`v${manifest.version}`, manifest.version), undefined);
    for (const tag of ['v9.9.9', manifest.version, '', undefined]) assert.ok(releaseTagProblem(tag, manifest.version), String(tag));
  });
});
