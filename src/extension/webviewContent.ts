// The webview page as VS Code serves it: the bundle and stylesheet from media/, a fresh
// nonce per page, and the strict CSP from src/webview/html.ts.

import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { renderWebviewHtml } from '../webview/html';

export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions {
  return { enableScripts: true, localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'media')] };
}

export function webviewHtml(webview: vscode.Webview, extensionUri: vscode.Uri): string {
  return renderWebviewHtml({
    scriptUri: webview
      .asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', 'dist', 'webview.js'))
      .toString(),
    styleUri: webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', 'webview.css')).toString(),
    cspSource: webview.cspSource,
    nonce: randomBytes(18).toString('base64url'),
  });
}
