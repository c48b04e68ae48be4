// The handful of VS Code theme variables the webview reads, with values from the
// built-in Light+, Dark+ and High Contrast themes.

export interface Theme {
  name: string;
  bodyClass: 'vscode-light' | 'vscode-dark' | 'vscode-high-contrast';
  vars: Record<string, string>;
}

const font = {
  '--vscode-font-family': '-apple-system, BlinkMacSystemFont, "Segoe WPC", "Segoe UI", "Ubuntu", "Droid Sans", sans-serif',
  '--vscode-font-size': '13px',
  '--vscode-editor-font-family': 'Menlo, Monaco, "DejaVu Sans Mono", "Courier New", monospace',
};

export const THEMES: Theme[] = [
  {
    name: 'light', bodyClass: 'vscode-light', vars: {
      ...font,
      '--vscode-editor-background': '#ffffff', '--vscode-foreground': '#616161', '--vscode-descriptionForeground': '#717171',
      '--vscode-focusBorder': '#0090f1', '--vscode-panel-border': '#80808059', '--vscode-editorWidget-background': '#f3f3f3',
      '--vscode-editorWidget-border': '#c8c8c8', '--vscode-sideBar-background': '#f3f3f3',
      '--vscode-input-background': '#ffffff', '--vscode-input-foreground': '#616161', '--vscode-input-border': '#cecece',
      '--vscode-button-background': '#007acc', '--vscode-button-foreground': '#ffffff', '--vscode-button-hoverBackground': '#0062a3',
      '--vscode-button-secondaryBackground': '#5f6a79', '--vscode-button-secondaryForeground': '#ffffff',
      '--vscode-button-secondaryHoverBackground': '#4c5561', '--vscode-textLink-foreground': '#006ab1',
      '--vscode-textLink-activeForeground': '#006ab1', '--vscode-list-hoverBackground': '#e8e8e8',
      '--vscode-list-inactiveSelectionBackground': '#e4e6f1', '--vscode-editorLineNumber-foreground': '#237893',
      '--vscode-charts-orange': '#d18616', '--vscode-charts-blue': '#1a85ff', '--vscode-charts-red': '#e51400',
      '--vscode-editorHoverWidget-background': '#f3f3f3', '--vscode-editorHoverWidget-foreground': '#616161',
      '--vscode-editorHoverWidget-border': '#c8c8c8', '--vscode-widget-shadow': '#00000029',
      '--vscode-editor-findMatchHighlightBackground': '#ea5c0055',
    },
  },
  {
    name: 'dark', bodyClass: 'vscode-dark', vars: {
      ...font,
      '--vscode-editor-background': '#1e1e1e', '--vscode-foreground': '#cccccc', '--vscode-descriptionForeground': '#ccccccb3',
      '--vscode-focusBorder': '#007fd4', '--vscode-panel-border': '#80808059', '--vscode-editorWidget-background': '#252526',
      '--vscode-editorWidget-border': '#454545', '--vscode-sideBar-background': '#252526',
      '--vscode-input-background': '#3c3c3c', '--vscode-input-foreground': '#cccccc', '--vscode-input-border': '#3c3c3c',
      '--vscode-button-background': '#0e639c', '--vscode-button-foreground': '#ffffff', '--vscode-button-hoverBackground': '#1177bb',
      '--vscode-button-secondaryBackground': '#3a3d41', '--vscode-button-secondaryForeground': '#ffffff',
      '--vscode-button-secondaryHoverBackground': '#45494e', '--vscode-textLink-foreground': '#3794ff',
      '--vscode-textLink-activeForeground': '#3794ff', '--vscode-list-hoverBackground': '#2a2d2e',
      '--vscode-list-inactiveSelectionBackground': '#37373d', '--vscode-editorLineNumber-foreground': '#858585',
      '--vscode-charts-orange': '#d18616', '--vscode-charts-blue': '#3794ff', '--vscode-charts-red': '#f14c4c',
      '--vscode-editorHoverWidget-background': '#252526', '--vscode-editorHoverWidget-foreground': '#cccccc',
      '--vscode-editorHoverWidget-border': '#454545', '--vscode-widget-shadow': '#0000005c',
      '--vscode-editor-findMatchHighlightBackground': '#ea5c0055',
    },
  },
  {
    name: 'high-contrast', bodyClass: 'vscode-high-contrast', vars: {
      ...font,
      '--vscode-editor-background': '#000000', '--vscode-foreground': '#ffffff', '--vscode-descriptionForeground': '#ffffffb3',
      '--vscode-focusBorder': '#f38518', '--vscode-contrastBorder': '#6fc3df', '--vscode-contrastActiveBorder': '#f38518',
      '--vscode-panel-border': '#6fc3df', '--vscode-editorWidget-background': '#0c141f', '--vscode-editorWidget-border': '#6fc3df',
      '--vscode-sideBar-background': '#000000', '--vscode-input-background': '#000000', '--vscode-input-foreground': '#ffffff',
      '--vscode-input-border': '#6fc3df', '--vscode-button-background': '#000000', '--vscode-button-foreground': '#ffffff',
      '--vscode-button-border': '#6fc3df', '--vscode-button-secondaryBackground': '#000000',
      '--vscode-button-secondaryForeground': '#ffffff', '--vscode-textLink-foreground': '#21a6ff',
      '--vscode-textLink-activeForeground': '#21a6ff', '--vscode-list-inactiveSelectionBackground': '#000000',
      '--vscode-editorLineNumber-foreground': '#ffffff', '--vscode-charts-orange': '#d18616', '--vscode-charts-blue': '#3794ff',
      '--vscode-charts-red': '#f14c4c', '--vscode-editorHoverWidget-background': '#0c141f',
      '--vscode-editorHoverWidget-foreground': '#ffffff', '--vscode-editorHoverWidget-border': '#6fc3df',
      '--vscode-editor-findMatchHighlightBackground': '#00000000', '--vscode-editor-findMatchBorder': '#f38518',
    },
  },
];
