/**
 * The release workflow cannot run here (it publishes), so this test holds it to what can
 * be checked: the YAML is valid and runs on a version tag; it is split into jobs so the
 * publishing tokens never share a job with code the tests download (the jobs and their
 * order, who may write, where secrets appear, the `release` environment, what the publish
 * job installs); checkouts leave no token behind; actions and the container are pinned;
 * every command is one the tests or `npm run package` already run, with tools that are
 * installed and know the options used; the job that builds the .vsix hands the others the
 * same artifact; and the tag check runs first and refuses a tag of another version.
 */
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
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

interface Job {
  needs?: string | string[];
  permissions?: string | Record<string, string>;
  environment?: string | { name: string };
  container?: string | { image: string };
  uses?: string;
  steps?: Step[];
}

const manifest = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { version: string; scripts: Record<string, string>; devDependencies: Record<string, string> };
const text = readFileSync(join(REPO, '.github', 'workflows', 'release.yml'), 'utf8');
const workflow = parse(text) as { on: { push: { tags: string[] } }; permissions?: string | Record<string, string>; jobs: Record<string, Job> };
const jobs = workflow.jobs;
const stepsOf = (job: string): Step[] => jobs[job]?.steps ?? [];
const commandsOf = (job: string): string[] => stepsOf(job).flatMap((step) => (step.run ? [step.run] : []));
const steps = Object.keys(jobs).flatMap(stepsOf);
const commands = Object.keys(jobs).flatMap(commandsOf);
/** The file `npm run package` writes. */
const vsix = /--out (\S+)/.exec(manifest.scripts.package)?.[1];
/** The publishing tokens, and the command of the one step that may see each. */
const TOKEN_USERS: Record<string, string> = { VSCE_PAT: 'vsce publish', OVSX_PAT: 'ovsx publish' };

const needsOf = (job: Job): string[] => [job.needs ?? []].flat();
const grants = (job: Job | typeof workflow): Record<string, string> => (typeof job.permissions === 'string' ? { all: job.permissions } : (job.permissions ?? {}));
const usingAction = (action: string) => (step: Step) => step.uses?.startsWith(`${action}@`) ?? false;

/** The dotted path of every key or string value under `value` that mentions secrets. */
function secretPlaces(value: unknown, path: string[] = []): string[] {
  if (typeof value === 'string') return /\bsecrets\b/.test(value) ? [path.join('.')] : [];
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, child]) => (/\bsecrets\b/.test(key) ? [[...path, key].join('.')] : secretPlaces(child, [...path, key])));
}

/** The package specs an `npm install` command names (its arguments that are not options). */
const installedBy = (command: string): string[] => command.split(/\s+/).slice(2).filter((arg) => !arg.startsWith('-'));

/** The devDependency whose package provides the command `bin`. */
function packageOfBin(bin: string): string | undefined {
  return Object.keys(manifest.devDependencies).find((name) => {
    const pkg = JSON.parse(readFileSync(join(REPO, 'node_modules', name, 'package.json'), 'utf8')) as { bin?: string | Record<string, string> };
    // A string bin is a command named after the package.
    return typeof pkg.bin === 'string' ? name.replace(/^@[^/]+\//, '') === bin : bin in (pkg.bin ?? {});
  });
}

describe('the release workflow', () => {
  it('is valid YAML that runs on version tags only', () => {
    assert.deepEqual(Object.keys(workflow.on), ['push']);
    assert.deepEqual(workflow.on.push.tags, ['v*.*.*']);
  });

  it('runs the jobs test, package, publish and attach, each only after the one before', () => {
    assert.deepEqual(Object.keys(jobs), ['test', 'package', 'publish', 'attach']);
    assert.deepEqual(needsOf(jobs.test), []);
    assert.deepEqual(needsOf(jobs.package), ['test']);
    assert.deepEqual(needsOf(jobs.publish), ['package']);
    assert.deepEqual(needsOf(jobs.attach), ['publish']);
  });

  it('grants nothing by default, and write only to attach, only to contents', () => {
    assert.equal(typeof workflow.permissions, 'object', 'the workflow states its permissions (else the repository default applies)');
    assert.ok(Object.values(grants(workflow)).every((level) => level === 'none'), JSON.stringify(workflow.permissions));
    for (const [name, job] of Object.entries(jobs)) {
      if (name === 'attach') assert.deepEqual(job.permissions, { contents: 'write' });
      else assert.ok(Object.values(grants(job)).every((level) => level === 'read' || level === 'none'), `${name}: ${JSON.stringify(job.permissions)}`);
    }
  });

  it('hands each publishing token only to the publish step that uses it, from repository secrets', () => {
    const places = secretPlaces(workflow);
    assert.deepEqual(places.map((place) => place.split('.').pop()).sort(), Object.keys(TOKEN_USERS).sort(), places.join(', '));
    for (const place of places) {
      const [, index, name] = /^jobs\.publish\.steps\.(\d+)\.env\.(\w+)$/.exec(place) ?? [];
      assert.ok(name, `${place} is not the env of a publish step`);
      const step = stepsOf('publish')[Number(index)];
      assert.equal(step.env?.[name], `\${{ secrets.${name} }}`);
      assert.ok(step.run?.includes(TOKEN_USERS[name]), `${name} goes to the step that runs ${TOKEN_USERS[name]}`);
    }
    for (const command of commands) assert.ok(!/secrets\.|_PAT/.test(command), command);
  });

  it('the test job sees no secret and no environment', () => {
    assert.ok(jobs.test, 'there is a test job');
    assert.deepEqual(secretPlaces(jobs.test), []);
    assert.equal(jobs.test.environment, undefined);
  });

  it('publishes only behind the release environment', () => {
    const environment = jobs.publish?.environment;
    assert.equal(typeof environment === 'object' ? environment.name : environment, 'release');
  });

  it('publish runs no project code and never the tests: only vsce and ovsx, installed without install scripts', () => {
    assert.ok(jobs.publish, 'there is a publish job');
    assert.ok(!stepsOf('publish').some(usingAction('actions/checkout')), 'publish checks nothing out');
    const [install, ...rest] = commandsOf('publish');
    assert.match(install ?? '', /^npm install .*--ignore-scripts/);
    assert.deepEqual(installedBy(install), [`@vscode/vsce@${manifest.devDependencies['@vscode/vsce']}`, `ovsx@${manifest.devDependencies.ovsx}`]);
    assert.deepEqual(
      rest.map((command) => command.split(/\s+/).slice(0, 2).join(' ')),
      ['node_modules/.bin/vsce publish', 'node_modules/.bin/ovsx publish'],
    );
  });

  it('every checkout leaves no token in the git config', () => {
    const checkouts = steps.filter(usingAction('actions/checkout'));
    assert.ok(checkouts.length > 0);
    for (const checkout of checkouts) assert.equal(checkout.with?.['persist-credentials'], false, JSON.stringify(checkout));
  });

  it('every action is pinned to a full commit, with its version in a comment', () => {
    // YAML parsing drops comments, so this reads the text.
    const lines = text.split('\n').filter((line) => /^\s*(-\s+)?uses\s*:/.test(line));
    assert.equal(lines.length, steps.filter((step) => step.uses).length + Object.values(jobs).filter((job) => job.uses).length, 'each uses: on a line of its own');
    for (const line of lines) assert.match(line, /^\s*(-\s+)?uses: [\w.-]+\/[\w./-]+@[0-9a-f]{40} # v\d+(\.\d+)*$/);
  });

  it('every job that runs commands runs them in the Debian 12 node image, pinned by digest', () => {
    for (const [name, job] of Object.entries(jobs)) {
      if (!job.steps?.some((step) => step.run)) continue;
      const image = typeof job.container === 'object' ? job.container.image : job.container;
      assert.match(image ?? '', /^node:20-bookworm@sha256:[0-9a-f]{64}$/, name);
    }
  });

  it('publish and attach download the artifact package uploads: the .vsix', () => {
    const uploads = stepsOf('package').filter(usingAction('actions/upload-artifact'));
    assert.equal(uploads.length, 1, 'package uploads one artifact');
    assert.equal(uploads[0].with?.path, vsix);
    for (const job of ['publish', 'attach']) {
      const downloads = stepsOf(job).filter(usingAction('actions/download-artifact'));
      assert.deepEqual(
        downloads.map((step) => step.with?.name),
        [uploads[0].with?.name],
        job,
      );
    }
  });

  it('tests, packages, publishes to both registries and attaches the .vsix, each in its own job', () => {
    assert.ok(vsix, 'npm run package names its output');
    assert.ok(commandsOf('test').includes('npm test'), 'test runs npm test, as .ci/run does');
    assert.ok(commandsOf('package').includes('npm run package'));
    const publishing = commandsOf('publish');
    const order = ['vsce publish', 'ovsx publish'].map((tool) => publishing.findIndex((command) => command.includes(tool)));
    assert.ok(order[0] >= 0 && order[1] > order[0], `order: ${order.join(', ')}`);
    for (const command of commands.filter((c) => c.includes(' publish'))) assert.ok(command.includes(`--packagePath ${vsix}`), command);
    assert.deepEqual(
      Object.keys(jobs).filter((job) => commandsOf(job).some((command) => command.includes(' publish'))),
      ['publish'],
    );
    const attach = stepsOf('attach').find(usingAction('softprops/action-gh-release'));
    assert.equal(attach?.with?.files, vsix);
  });

  it('runs only commands the tests and npm run package run, with installed tools', () => {
    for (const job of Object.keys(jobs)) {
      for (const command of commandsOf(job)) {
        const [tool, sub] = command.split(/\s+/);
        const bin = /^node_modules\/\.bin\/(\S+)$/.exec(tool)?.[1];
        if (tool === 'npm' && sub === 'run') assert.ok(manifest.scripts[command.split(/\s+/)[2]], command);
        else if (tool === 'npm') assert.ok(['test', 'install'].includes(sub), command);
        else if (tool === 'node') assert.ok(/^scripts\/\w+\.js$/.test(sub) && existsSync(join(REPO, sub)), command);
        else if (bin) {
          const pkg = packageOfBin(bin);
          assert.ok(pkg, `${bin} comes from a devDependency`);
          const installs = commandsOf(job).filter((c) => c.startsWith('npm install ')).flatMap(installedBy);
          assert.ok(installs.includes(`${pkg}@${manifest.devDependencies[pkg]}`), `${job} installs ${pkg} at the version package.json pins`);
        } else assert.fail(command);
      }
    }
  });

  it('the publish commands accept the options used (their help runs offline)', function () {
    this.timeout(30_000);
    for (const tool of ['vsce', 'ovsx']) {
      const help = execFileSync(join(REPO, 'node_modules', '.bin', tool), ['publish', '--help'], { encoding: 'utf8' });
      assert.match(help, /--packagePath/, tool);
    }
  });

  it('checks the tag first, in the first job, before anything is installed', () => {
    assert.equal(commandsOf(Object.keys(jobs)[0])[0], 'node scripts/checkReleaseTag.js');
  });

  it('the tag check refuses a tag of another version', () => {
    assert.equal(releaseTagProblem(`v${manifest.version}`, manifest.version), undefined);
    for (const tag of ['v9.9.9', manifest.version, '', undefined]) assert.ok(releaseTagProblem(tag, manifest.version), String(tag));
  });
});
