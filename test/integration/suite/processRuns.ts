/**
 * Starting the processes a developer starts, from a test inside VS Code: a task, a debug
 * session, a terminal; each waits for what VS Code reports of it.
 */
import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';

/**
 * Runs `command` with `args` as a task of `kind` (a shell command line VS Code quotes, or
 * the process itself), revealed nowhere, and returns its process's exit code once it ended.
 *
 * Every task here has one definition, so each runs in the one terminal VS Code dedicates
 * to it, started again for each run: in code-server 4.139.1 (VS Code 1.139.1) a task's
 * *new* terminal starts no process once any other terminal was created in the window
 * (`onDidStartTaskProcess` without a pid, `onDidEndTaskProcess` with no exit code, "Could
 * not find pty 1 on pty host"). So the task tests run in a window of their own (the
 * `tasks` phase), where the first terminal is a task's, and never close it; its `before`
 * waits for {@link tasksCanRun}.
 */
export async function runTask(name: string, kind: 'shell' | 'process', command: string, args: string[]): Promise<number | undefined> {
  // The window has no folder: the task says where it runs (VS Code's default is ${workspaceFolder}).
  const cwd = process.env.IIC_TEST_SHARED_DIR;
  assert.ok(cwd, 'the runner sets IIC_TEST_SHARED_DIR');
  const options = { cwd };
  const execution = kind === 'shell' ? new vscode.ShellExecution(command, args, options) : new vscode.ProcessExecution(command, args, options);
  const task = new vscode.Task({ type: 'iamIdentityCenterTest' }, vscode.TaskScope.Workspace, name, 'IIC tests', execution);
  task.presentationOptions = { reveal: vscode.TaskRevealKind.Never, echo: false, panel: vscode.TaskPanelKind.Dedicated };
  const ended = new Promise<number | undefined>((resolve) => {
    const subscription = vscode.tasks.onDidEndTaskProcess((event) => {
      if (event.execution.task.name !== name) return;
      subscription.dispose();
      resolve(event.exitCode);
    });
  });
  await vscode.tasks.executeTask(task);
  return ended;
}

/**
 * Runs a shell task that does nothing until one exits with 0, and returns how many did not
 * (at most `attempts - 1`; throws if none ran). In code-server 4.139.1 the first task of a
 * new window sometimes starts no process: its terminal opens, then `onDidStartTaskProcess`
 * comes without a pid and `onDidEndTaskProcess` without an exit code, and the pty host never
 * hears of it (`--log trace`). Seen in 6 of 7 runs after the page cache was dropped, as on a
 * clean clone in CI; the same terminal's next task runs. The tests' own tasks must not be
 * that first one, or a failure would say nothing about the credentials.
 */
export async function tasksCanRun(attempts = 5): Promise<number> {
  for (let attempt = 0; attempt < attempts; attempt++) {
    if ((await runTask('IIC tasks can run', 'shell', process.execPath, ['-e', '0'])) === 0) return attempt;
  }
  throw new Error(`none of ${attempts} shell tasks that do nothing started a process: tasks cannot run in this window`);
}

/** Starts `configuration` with no folder and returns its (top-level) session once started. */
export async function startedSession(configuration: vscode.DebugConfiguration): Promise<vscode.DebugSession> {
  const started = new Promise<vscode.DebugSession>((resolve) => {
    const subscription = vscode.debug.onDidStartDebugSession((session) => {
      if (session.name !== configuration.name || session.parentSession) return;
      subscription.dispose();
      resolve(session);
    });
  });
  assert.equal(await vscode.debug.startDebugging(undefined, configuration), true, 'the debug session starts');
  return started;
}

/** Runs `open` and returns the terminal it opened. */
export async function openedTerminal(open: () => PromiseLike<unknown>): Promise<vscode.Terminal> {
  const opened = new Promise<vscode.Terminal>((resolve) => {
    const subscription = vscode.window.onDidOpenTerminal((terminal) => {
      subscription.dispose();
      resolve(terminal);
    });
  });
  await open();
  return opened;
}
