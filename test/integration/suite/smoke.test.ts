import * as assert from 'assert';
import * as vscode from 'vscode';

describe('the harness', () => {
  it('runs inside a real VS Code with the extension under development installed', () => {
    assert.ok(vscode.extensions.getExtension('iam-identity-center.iam-identity-center'), 'extension not found');
    assert.match(vscode.version, /^1\./);
  });
});
