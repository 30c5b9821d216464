/**
 * Every command id, in one table: the manifest's `contributes.commands`, the status bar,
 * error notifications and the tests refer to them from here.
 */

/** The command ids users, other extensions and automation call. */
export const COMMANDS = {
  registerClient: 'iamIdentityCenter.registerClient',
  showClient: 'iamIdentityCenter.showClient',
  forgetClient: 'iamIdentityCenter.forgetClient',
  showLog: 'iamIdentityCenter.showLog',
  chooseRegion: 'iamIdentityCenter.chooseRegion',
  setStartUrl: 'iamIdentityCenter.setStartUrl',
  signIn: 'iamIdentityCenter.signIn',
  signOut: 'iamIdentityCenter.signOut',
  listAccounts: 'iamIdentityCenter.listAccounts',
  listAgencies: 'iamIdentityCenter.listAgencies',
  selectAgency: 'iamIdentityCenter.selectAgency',
  showAgency: 'iamIdentityCenter.showAgency',
  clearAgency: 'iamIdentityCenter.clearAgency',
  /** Internal: the inline action on an agency in the accounts view. */
  useAgency: 'iamIdentityCenter.useAgency',
  /** Internal: the accounts view's refresh button. */
  refreshAccounts: 'iamIdentityCenter.refreshAccounts',
  /** Internal: behind a click on the status bar item; not in the command palette. */
  statusMenu: 'iamIdentityCenter.statusMenu',
} as const;
