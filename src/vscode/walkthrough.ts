/**
 * The Get Started walkthrough's steps that follow the extension's state (package.json
 * `contributes.walkthroughs`). VS Code ticks a step on its completion events, but takes an
 * `onContext` condition that is already true when it registers the walkthrough (at its
 * first opening, often long after activation) as seen, and never ticks it (VS Code 1.139,
 * gettingStartedService `registerDoneListeners`). So the extension ticks those steps itself
 * whenever their condition holds, through `welcome.markStepComplete`, which VS Code keeps
 * even before the walkthrough is registered.
 */
import * as vscode from 'vscode';
import type { Settings } from './settings';

/** A step whose condition is the extension's state. */
export type StateStep = 'region' | 'startUrl' | 'signIn' | 'agency';

/** Ticks `step` when `done`; quietly does nothing where VS Code has no such command. */
export function tickStep(step: StateStep, done: unknown): void {
  if (done) void vscode.commands.executeCommand('welcome.markStepComplete', `iam-identity-center.iam-identity-center#gettingStarted#${step}`).then(undefined, () => undefined);
}

/** Sets context key `key` (menus and the walkthrough read it) to `value`, and ticks `step` when it is true. */
export function setStateContext(key: string, value: boolean, step: StateStep): void {
  void vscode.commands.executeCommand('setContext', key, value);
  tickStep(step, value);
}

/** Ticks the settings' steps whose settings are set: at activation, and after each change. */
export function tickSettingsSteps(settings: Settings): void {
  tickStep('startUrl', settings.startUrl());
  tickStep('region', settings.hasRegion());
}
