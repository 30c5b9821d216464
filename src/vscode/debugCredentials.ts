/**
 * Debug sessions get the agency's credentials: in a trusted workspace, with
 * `debugCredentials` on (the user's own settings only), every configuration started with
 * `request: "launch"` gets the six variables in its environment, with the values valid at
 * launch (renewed first when due); entries the configuration sets itself win, and
 * `attach` configurations are left alone. How each debugger's environment takes them is
 * the core's `withDebugEnvironment`. With stored credentials still good, resolving sends no
 * request and loads nothing.
 */
import * as vscode from 'vscode';
import { credentialEnvironment, withDebugEnvironment } from '../core/credentials/environment';
import type { InstanceRegistry } from '../core/instance/registry';
import type { Settings } from './settings';

/** Registers the provider for every debugger; returns its disposable. */
export function registerDebugCredentials(instances: InstanceRegistry, settings: Settings): vscode.Disposable {
  return vscode.debug.registerDebugConfigurationProvider('*', {
    resolveDebugConfigurationWithSubstitutedVariables: (_folder, config) => withCredentials(config, instances, settings),
  });
}

/** `config` with the window agency's credentials in its environment, when it should have them; as it is otherwise. */
export async function withCredentials(config: vscode.DebugConfiguration, instances: InstanceRegistry, settings: Settings): Promise<vscode.DebugConfiguration> {
  const runtime = instances.windowInstance();
  if (config.request !== 'launch' || !runtime?.selection.current() || !vscode.workspace.isTrusted || !settings.debugCredentials()) return config;
  let variables: Record<string, string>;
  try {
    variables = credentialEnvironment((await runtime.usableCredentials()).credentials);
  } catch (error) {
    // The debug session still starts, without credentials: the log says why.
    runtime.ports.logger.warn(`A debug session starts without agency credentials: ${error instanceof Error ? error.message : 'unexpected error'}`);
    return config;
  }
  return withDebugEnvironment(config, variables);
}
