// Lint: rules that catch bugs (promises nobody awaits, async callbacks where a void one is
// expected, awaiting non-promises), and the layering of ARCHITECTURE.md as import rules, so a
// wrong-way import fails `npm run lint`. Formatting is prettier's job (`npm run format`), not
// this file's; tsc already reports unused names.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

// An import from `src/<name>/…`, seen from anywhere below src/ or media/src/.
const srcFolder = (names) => `^(\\.\\./)+(src/)?(${names.join('|')})(/|$)`;

/** One layer's rule: the folders it must not import, with why. */
function boundary(files, forbidden, why, extra = []) {
  return {
    files,
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: extra,
          patterns: [{ regex: srcFolder(forbidden), message: why }],
        },
      ],
    },
  };
}

const noVscode = (where) => ({
  name: 'vscode',
  message: `${where} runs outside VS Code: only src/extension/ imports vscode.`,
});

export default tseslint.config(
  {
    ignores: [
      'out/**',
      'dist/**',
      'media/dist/**',
      'node_modules/**',
      'test-artifacts/**',
      'test/fixtures/**',
      'examples/**',
      '**/*.heapsnapshot',
      'types/**',
    ],
  },
  js.configs.recommended,
  {
    files: ['**/*.ts'],
    extends: [tseslint.configs.base],
    languageOptions: {
      // media/ first: its files are type-checked with the DOM, the rest against Node.
      parserOptions: {
        project: ['./media/tsconfig.json', './tsconfig.test.json'],
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      // Bugs: a promise nobody awaits loses its rejection; an async function passed where a void
      // callback is expected runs unawaited (listeners, forEach, setTimeout).
      '@typescript-eslint/no-floating-promises': [
        'error',
        {
          // node:test collects the promise test() returns; awaiting it at top level is not the idiom.
          allowForKnownSafeCalls: [
            { from: 'package', package: 'node:test', name: ['test', 'it', 'describe', 'suite'] },
          ],
        },
      ],
      // Not for inherited methods: @vscode/debugadapter's DebugSession calls its request handlers
      // without awaiting them by design, and each of ours catches what it throws.
      '@typescript-eslint/no-misused-promises': [
        'error',
        { checksVoidReturn: { attributes: false, inheritedMethods: false } },
      ],
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/only-throw-error': 'error',
      '@typescript-eslint/prefer-promise-reject-errors': 'error',
      // A warning: harmless, and the ones left are in files being rewritten (listed below).
      '@typescript-eslint/no-unnecessary-type-assertion': 'warn',
      '@typescript-eslint/no-for-in-array': 'error',
      '@typescript-eslint/no-implied-eval': 'error',
      '@typescript-eslint/no-duplicate-type-constituents': 'error',
      '@typescript-eslint/no-redundant-type-constituents': 'error',
      '@typescript-eslint/restrict-plus-operands': 'error',
      '@typescript-eslint/no-array-delete': 'error',
      '@typescript-eslint/return-await': ['error', 'in-try-catch'],
      // tsc's noUnusedLocals/noUnusedParameters report these, with fewer false alarms.
      'no-unused-vars': 'off',
      'no-undef': 'off', // tsc knows the globals better
      'no-redeclare': 'off',
      'no-dupe-class-members': 'off',
      eqeqeq: ['error', 'smart'],
      'no-constant-condition': ['error', { checkLoops: false }],
      'no-empty': ['error', { allowEmptyCatch: true }],
      'no-regex-spaces': 'off', // a regex matching indented output reads best with the spaces in it
    },
  },
  {
    files: ['**/*.mjs', '**/*.js'],
    languageOptions: { globals: { ...globals.node }, ecmaVersion: 2024, sourceType: 'module' },
    rules: {
      'no-unused-vars': ['error', { args: 'none', caughtErrors: 'none' }],
      'no-empty': ['error', { allowEmptyCatch: true }],
      'no-constant-condition': ['error', { checkLoops: false }],
    },
  },
  { files: ['**/*.cjs'], languageOptions: { globals: { ...globals.node }, sourceType: 'commonjs' } },
  { files: ['media/src/**/*.ts'], languageOptions: { globals: { ...globals.browser } } },
  // Functions handed to playwright's page.evaluate run in the page.
  {
    files: ['bench/webview.mjs', 'test/e2e/**/*.mjs'],
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
  },

  // ---- Layering (ARCHITECTURE.md, "Who may import whom") ----
  boundary(
    ['src/contracts/**/*.ts'],
    ['webview', 'hunt', 'inspector', 'extension', 'cli', 'debugAdapter', 'agent', 'mcp'],
    "src/contracts/ describes what crosses each boundary: it may name the engine's plain-JSON types, nothing else.",
    [noVscode('src/contracts/')],
  ),
  boundary(
    ['src/core/**/*.ts'],
    ['webview', 'hunt', 'inspector', 'extension', 'cli', 'debugAdapter', 'agent', 'mcp'],
    'src/core/ is the engine: besides src/contracts/ it imports nothing from another src/ folder.',
    [noVscode('src/core/')],
  ),
  boundary(
    ['src/inspector/**/*.ts'],
    ['webview', 'hunt', 'extension', 'cli', 'debugAdapter', 'agent', 'mcp'],
    'src/inspector/ speaks CDP: it may use src/core/, never the hunt, the CLI or the editor.',
    [noVscode('src/inspector/')],
  ),
  boundary(
    ['src/hunt/**/*.ts'],
    ['extension', 'cli', 'debugAdapter', 'agent', 'mcp'],
    'src/hunt/ is the hunt pipeline every front end calls; it never calls a front end.',
    [noVscode('src/hunt/')],
  ),
  boundary(
    ['src/webview/**/*.ts'],
    ['hunt', 'inspector', 'extension', 'cli', 'debugAdapter', 'agent', 'mcp'],
    "src/webview/ is the page's HTML and CSP, built by the extension: plain data, no runtime above it.",
    [noVscode('src/webview/')],
  ),
  boundary(
    ['src/cli/**/*.ts'],
    ['extension', 'debugAdapter', 'webview'],
    'src/cli/ is a front end beside the extension: it shares src/core, src/inspector and src/hunt, not the editor.',
    [noVscode('src/cli/')],
  ),
  boundary(
    ['src/debugAdapter/**/*.ts'],
    ['extension', 'cli', 'webview', 'mcp'],
    'src/debugAdapter/ speaks DAP on top of src/hunt; the extension starts it, it never reaches back.',
    [noVscode('src/debugAdapter/')],
  ),
  boundary(
    ['src/agent/**/*.ts'],
    ['extension', 'cli', 'debugAdapter', 'webview', 'mcp'],
    'src/agent/ is the hunt for callers that are not a person (heaplens check, MCP, node:test): it sits on src/hunt, below every front end.',
    [noVscode('src/agent/')],
  ),
  boundary(
    ['src/mcp/**/*.ts'],
    ['extension', 'cli', 'debugAdapter', 'webview'],
    'src/mcp/ is the MCP server, a front end beside the CLI and the extension: it shares the layers below, not them.',
    [noVscode('src/mcp/')],
  ),
  boundary(
    ['src/testing/**/*.ts'],
    ['extension', 'cli', 'debugAdapter', 'webview', 'mcp'],
    "src/testing/ is heaplens/test, loaded into a user's test process: src/agent and the layers below, never a front end.",
    [noVscode('src/testing/')],
  ),
  boundary(
    ['src/extension/**/*.ts'],
    ['cli', 'mcp'],
    'src/extension/ is thin VS Code glue: the CLI and the MCP server are other front ends.',
  ),
  {
    // The page runs in a browser sandbox: it sees only its own folder, the plain-data contracts
    // it exchanges with the host (the message protocol, the report it draws), and the one output
    // sanitiser (pure, no imports), so heap text is cut and escaped the same way everywhere.
    files: ['media/src/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(\\.\\./)+src/(?!contracts/|core/report$|core/sanitize$|core/format$)',
              message:
                'media/ imports only its own folder, the contracts it exchanges with the host (src/contracts/, src/core/report), the one sanitiser (src/core/sanitize) and the one byte formatter (src/core/format).',
            },
          ],
          paths: [
            {
              name: 'vscode',
              message: 'the webview has no vscode module: it talks to the host by messages.',
            },
          ],
        },
      ],
    },
  },
);
