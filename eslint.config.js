import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

/** Imports that would point against the architecture's one-way dependencies (see STYLE.md). */
const layerRules = (forbidden, why) => ({
  'no-restricted-imports': ['error', { patterns: forbidden.map((group) => ({ group: [group], message: why })) }],
});

/** The app's folders past the engine, and the libraries of its UI and training. */
const APP_FOLDERS = ['**/io/**', '**/state/**', '**/ui/**', '**/viz/**', '**/train/**', '**/cli/**', '**/presets/**'];
const APP_LIBRARIES = ['react', 'react-dom', 'd3*', '@tensorflow/*', 'zustand'];

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'test-results/', 'public/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'max-lines': ['error', { max: 500, skipBlankLines: true, skipComments: true }],
    },
  },
  {
    files: ['src/engine/**/*.ts'],
    rules: layerRules(
      [...APP_FOLDERS, ...APP_LIBRARIES, 'node:*'],
      'src/engine is pure TypeScript: it imports nothing from the rest of the app, the DOM, Node or tfjs.',
    ),
  },
  {
    files: ['src/io/**/*.ts', 'src/presets/**/*.ts'],
    rules: layerRules(
      ['**/state/**', '**/ui/**', '**/viz/**', '**/train/**', '**/cli/**', 'react', 'react-dom'],
      'io and presets depend only on the engine.',
    ),
  },
  {
    files: ['src/train/**/*.ts'],
    rules: layerRules(
      ['**/state/**', '**/ui/**', '**/viz/**', '**/cli/**', 'react', 'react-dom', 'zustand'],
      'src/train depends only on the engine (and tfjs): the UI talks to it through its client.',
    ),
  },
  {
    files: ['src/pwa/**/*.ts'],
    rules: layerRules(
      ['**/engine/**', ...APP_FOLDERS, ...APP_LIBRARIES],
      'the service worker stands alone: Workbox and its own headers, nothing of the app it caches.',
    ),
  },
  {
    files: ['src/state/**/*.ts'],
    rules: layerRules(
      ['**/ui/**', '**/viz/**', 'react-dom'],
      'state must not import ui or viz (ui -> state -> engine).',
    ),
  },
  {
    // HTML reaches the page through React's text nodes only (README, "Security model").
    files: ['src/**/*.ts', 'src/**/*.tsx'],
    rules: {
      'no-restricted-syntax': [
        'error',
        ...[
          ["JSXAttribute[name.name='dangerouslySetInnerHTML']", 'dangerouslySetInnerHTML'],
          ['AssignmentExpression > MemberExpression.left[property.name=/^(innerHTML|outerHTML)$/]', 'innerHTML'],
          [
            'CallExpression[callee.property.name=/^(insertAdjacentHTML|createContextualFragment|html)$/]',
            'HTML strings',
          ],
          ["CallExpression[callee.object.name='document'][callee.property.name=/^(write|writeln)$/]", 'document.write'],
        ].map(([selector, what]) => ({
          selector,
          message: `${what}: text reaches the page only through React's text nodes (or d3's .text()), which escape it.`,
        })),
      ],
    },
  },
  {
    files: ['src/**/*.tsx', 'src/ui/**/*.ts'],
    plugins: { 'react-hooks': reactHooks },
    rules: { ...reactHooks.configs.recommended.rules },
  },
);
