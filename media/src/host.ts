// The one door to the extension host. VS Code injects acquireVsCodeApi, which may be
// called only once per page; everything the webview says goes through `post`, typed
// by the shared protocol so the host's validator and this side agree.

import type { WebviewMessage } from '../../src/contracts/webview';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

const api: VsCodeApi =
  typeof acquireVsCodeApi === 'function'
    ? acquireVsCodeApi()
    : { postMessage: () => undefined, getState: () => undefined, setState: () => undefined };

export function post(message: WebviewMessage): void {
  api.postMessage(message);
}
