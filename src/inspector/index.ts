// The inspector side of the leak hunt: what src/core and the extension may import.
export { CdpClient } from './cdp';
export type { Commands, Events, CommandParams, CommandResult, EventParams, RequestOptions } from './cdp';
export { connect, disconnect, discoverNodeTarget, isLoopbackHost, JS_DEBUG_PROXY_EVENTS } from './connect';
export type { ConnectOptions, ConnectTarget, JsDebugProxyAddress } from './connect';
export { InspectorError, isInspectorError } from './errors';
export type { InspectorErrorCode } from './errors';
export {
  takeSnapshot,
  startTracking,
  stopTracking,
  withAllocationTracking,
  isTracking,
  discardSink,
} from './snapshot';
export type { SnapshotSink, SnapshotProgress, TakeSnapshotOptions, StopTrackingOptions } from './snapshot';
export { ScriptRegistry } from './scripts';
export type { ScriptInfo, OriginalPosition, SourceMapLoader } from './scripts';
export type { HuntTarget } from './target';
export { startDebuggee } from './runner';
export type { Debuggee, StartDebuggeeOptions, ExitInfo } from './runner';
export { attach } from './attach';
export type { UnitOfWork, AttachOptions } from './attach';
