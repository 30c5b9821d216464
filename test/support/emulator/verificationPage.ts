/**
 * The HTML page a person opens at `verification_uri`: `GET /device` asks for the code
 * (or shows the one in `?user_code=`), and its buttons post to `/device/approve` or
 * `/device/deny`, so a person running the demo can sign in as a user would.
 *
 * Its forms and links are relative to the page (`device`, `device/approve`), never
 * absolute: in the demo the page opens through code-server's port proxy
 * (`/proxy/<port>/device`, from `vscode.env.asExternalUri`), which strips that prefix
 * from requests but leaves the HTML as it is, so an absolute `/device/approve` would
 * reach code-server itself instead of the emulator.
 */
import type { OidcApi } from './oidcApi';
import type { EmulatorUser } from './settings';
import type { Reply } from './server';

const HTML_TYPE = 'text/html; charset=utf-8';

/** The page for `GET /device`: a form for the code, or the code to confirm with its two buttons. */
export function verificationPage(oidc: OidcApi, user: EmulatorUser, userCode: string | null): Reply {
  if (!userCode) {
    return html(
      200,
      'Authorize a device',
      `<form method="get" action="device">
<label for="user_code">Code shown in VS Code</label>
<input id="user_code" name="user_code" autocomplete="off" autofocus>
<button id="continue" type="submit">Continue</button>
</form>`,
    );
  }
  const code = oidc.findCode(userCode);
  if (!code) return html(404, 'Unknown code', `<p id="message">The code ${escapeHtml(userCode)} is not known. Check it and try again.</p><p><a href="device">Enter a code</a></p>`);
  const status = oidc.effectiveStatus(code);
  if (status !== 'pending') return html(400, 'Code no longer valid', `<p id="message">The code ${escapeHtml(code.userCode)} is ${status}.</p>`);
  const hidden = `<input type="hidden" name="user_code" value="${escapeHtml(code.userCode)}">`;
  return html(
    200,
    'Authorize a device',
    `<p>Confirm that this code matches the one shown in VS Code:</p>
<p><strong id="user-code">${escapeHtml(code.userCode)}</strong></p>
<p>Signing in as ${escapeHtml(user.name)} (${escapeHtml(user.email)}).</p>
<form method="post" action="device/approve">${hidden}<button id="approve" type="submit">Approve</button></form>
<form method="post" action="device/deny">${hidden}<button id="deny" type="submit">Deny</button></form>`,
  );
}

/** The answer to `POST /device/approve` or `/device/deny`, whose form body names the user code. */
export function verificationDecision(oidc: OidcApi, raw: string, status: 'approved' | 'denied'): Reply {
  const userCode = new URLSearchParams(raw).get('user_code') ?? '';
  const code = oidc.findCode(userCode);
  if (!code) return html(404, 'Unknown code', `<p id="message">The code ${escapeHtml(userCode)} is not known.</p>`);
  const current = oidc.effectiveStatus(code);
  if (current !== 'pending') return html(400, 'Code no longer valid', `<p id="message">The code ${escapeHtml(code.userCode)} is ${current}.</p>`);
  code.status = status;
  return status === 'approved'
    ? html(200, 'Device approved', '<p id="message">Approved. You can close this window and return to VS Code.</p>')
    : html(200, 'Device denied', '<p id="message">Denied. The sign-in in VS Code will stop.</p>');
}

function html(status: number, title: string, content: string): Reply {
  const body = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)} - IAM Identity Center emulator</title></head>
<body><h1>${escapeHtml(title)}</h1>
${content}
</body></html>
`;
  return { status, contentType: HTML_TYPE, body };
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
