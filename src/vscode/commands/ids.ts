/**
 * Every command id, in one table: the manifest's `contributes.commands`, the status bar,
 * error notifications and the tests refer to them from here. A comment starting
 * `Internal:` or `Automation only:` marks a command the palette hides
 * (`test/unit/commands.test.ts` holds package.json to it).
 */

/** What every command id starts with: written once, so the activation bundle carries it once. */
const PREFIX = 'iamIdentityCenter.';

/** The command ids users, other extensions and automation call (`iamIdentityCenter.<name>`). */
export const COMMANDS = {
  registerClient: `${PREFIX}registerClient`,
  showClient: `${PREFIX}showClient`,
  forgetClient: `${PREFIX}forgetClient`,
  showLog: `${PREFIX}showLog`,
  chooseRegion: `${PREFIX}chooseRegion`,
  chooseProfile: `${PREFIX}chooseProfile`,
  setStartUrl: `${PREFIX}setStartUrl`,
  signIn: `${PREFIX}signIn`,
  signOut: `${PREFIX}signOut`,
  /** Automation only: not in the palette, where Select Account and Agency and the accounts view list them. */
  listAccounts: `${PREFIX}listAccounts`,
  /** Automation only: not in the palette, where Select Account and Agency and the accounts view list them. */
  listAgencies: `${PREFIX}listAgencies`,
  selectAgency: `${PREFIX}selectAgency`,
  showAgency: `${PREFIX}showAgency`,
  clearAgency: `${PREFIX}clearAgency`,
  openTerminal: `${PREFIX}openTerminal`,
  copyCredentials: `${PREFIX}copyCredentials`,
  /** Internal: Enter, a click or the inline action on an agency in the accounts view. */
  useAgency: `${PREFIX}useAgency`,
  /** Internal: the context menu of an account in the accounts view. */
  copyAccountId: `${PREFIX}copyAccountId`,
  /** Internal: the context menu of an agency in the accounts view. */
  copyAgencyUrn: `${PREFIX}copyAgencyUrn`,
  /** Internal: the accounts view's refresh button. */
  refreshAccounts: `${PREFIX}refreshAccounts`,
  /** Internal: the Retry of an account whose agencies could not be listed (a click on the row, or its inline action). */
  retryAgencies: `${PREFIX}retryAgencies`,
  /** Internal: behind a click on the status bar item; not in the command palette. */
  statusMenu: `${PREFIX}statusMenu`,
} as const;
