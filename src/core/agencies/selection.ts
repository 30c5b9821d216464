/**
 * The agency in use belongs to the window's workspace: each workspace remembers its own
 * selection, and one that has none yet starts with the selection made last in any window.
 * Choosing in one window changes no other window's selection. Selections are ids and
 * names only, nothing secret, so they live in VS Code's mementos (`workspaceState` for the
 * window, `globalState` for "last anywhere"), keyed by the instance.
 */
import { isJsonObject, JsonObject } from '../common/validate';
import type { AgencySelection } from '../credentials/model';
import { ACCOUNT_ID_PATTERN, AGENCY_URN_PATTERN } from '../portal/model';

/** A key-value store VS Code's `Memento` fits as it is. */
export interface Memento {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): PromiseLike<void>;
  keys(): readonly string[];
}

/** Where a window keeps its selection, and where the last selection made anywhere is. */
export interface SelectionMementos {
  /** This window's workspace (VS Code's `workspaceState`). */
  window: Memento;
  /** Every window (VS Code's `globalState`). */
  shared: Memento;
}

/** The memento keys of one instance's selection (`instance` is its `instanceKey`). */
export function selectionKeys(instance: string): { window: string; last: string } {
  return { window: `iamIdentityCenter.selection|${instance}`, last: `iamIdentityCenter.lastSelection|${instance}` };
}

/** The `globalState` key the release before profiles kept its one selection under. */
export const LEGACY_SELECTION_KEY = 'iamIdentityCenter.selectedAgency';

/** What a window stores when its workspace chose no agency (so it does not take the last one again). */
const NONE = 'none';

/** The selection as commands and `globalState` hold it, or undefined when `value` is not one. */
export function parseSelection(value: unknown): AgencySelection | undefined {
  if (!isJsonObject(value)) return undefined;
  const fields = ['accountId', 'accountName', 'agencyName', 'agencyUrn', 'permissionSetName'] as const;
  if (!fields.every((field) => typeof value[field] === 'string' && (value[field] as string).length <= 1024)) return undefined;
  const selection = Object.fromEntries(fields.map((field) => [field, (value as JsonObject)[field]])) as unknown as AgencySelection;
  const urn = AGENCY_URN_PATTERN.exec(selection.agencyUrn);
  if (!ACCOUNT_ID_PATTERN.test(selection.accountId) || !urn || urn[1] !== selection.accountId) return undefined;
  return selection;
}

/** One window's selection for one instance. */
export class WindowSelection {
  private readonly keys: { window: string; last: string };

  constructor(
    private readonly mementos: SelectionMementos,
    instance: string,
    /** Also read the selection the release before profiles stored (the default profile only). */
    private readonly legacy = false,
  ) {
    this.keys = selectionKeys(instance);
  }

  /** The agency in use in this window: its own choice, else the last one made anywhere. */
  current(): AgencySelection | undefined {
    const own = this.mementos.window.get<unknown>(this.keys.window);
    if (own === NONE) return undefined;
    return parseSelection(own) ?? this.last();
  }

  /**
   * Makes the window keep what it uses now, so a later choice in another window does not
   * move it: a workspace that had none yet takes the last selection as its own.
   */
  async settle(): Promise<AgencySelection | undefined> {
    const own = this.mementos.window.get<unknown>(this.keys.window);
    if (own === NONE || parseSelection(own)) return this.current();
    const last = this.last();
    if (last) await this.mementos.window.update(this.keys.window, { ...last });
    return last;
  }

  /** Chooses `selection` in this window, and as the last selection for new workspaces. */
  async choose(selection: AgencySelection): Promise<void> {
    await this.mementos.window.update(this.keys.window, { ...selection });
    await this.mementos.shared.update(this.keys.last, { ...selection });
  }

  /** This window uses no agency (Stop Using); other windows and new workspaces are not changed. */
  async clear(): Promise<void> {
    await this.mementos.window.update(this.keys.window, NONE);
  }

  private last(): AgencySelection | undefined {
    return parseSelection(this.mementos.shared.get<unknown>(this.keys.last)) ?? (this.legacy ? parseSelection(this.mementos.shared.get<unknown>(LEGACY_SELECTION_KEY)) : undefined);
  }
}

/** How the `globalState` keys of windows' in-use marks start (`…|<window id>`). */
export const IN_USE_PREFIX = 'iamIdentityCenter.inUse|';

/** A window's mark: the credentials records it uses, until when (epoch ms; after that it counts only if renewed). */
interface InUse {
  records: string[];
  untilMs: number;
}

/**
 * Marks that window `windowId` uses the credentials record `record` until `untilMs`
 * (undefined: it uses none). Each window writes only its own key, so windows never
 * overwrite each other's marks; a window that ended without clearing its mark stops
 * counting once its credentials would have ended.
 */
export async function markInUse(shared: Memento, windowId: string, record: string | undefined, untilMs = 0): Promise<void> {
  await shared.update(`${IN_USE_PREFIX}${windowId}`, record ? { records: [record], untilMs } : undefined);
}

/** True when a window other than `windowId` uses the credentials record `record` now. */
export function usedElsewhere(shared: Memento, windowId: string, record: string, nowMs: number): boolean {
  return shared
    .keys()
    .filter((key) => key.startsWith(IN_USE_PREFIX) && key !== `${IN_USE_PREFIX}${windowId}`)
    .some((key) => {
      const mark = shared.get<Partial<InUse>>(key);
      return Array.isArray(mark?.records) && mark.records.includes(record) && typeof mark.untilMs === 'number' && mark.untilMs > nowMs;
    });
}
