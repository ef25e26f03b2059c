// ESLint for the TypeScript tree: ESLint's and typescript-eslint's recommended rules and import-x's
// no-cycle (an import cycle anywhere in engine/ or modules/ fails the lint, as it fails
// `npm run cycles`). Run by `npm run lint` and by CI.
import js from '@eslint/js'
import tseslint from 'typescript-eslint'
import importX from 'eslint-plugin-import-x'
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript'

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', '.lab/', 'coverage/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  // Tells import-x to parse the imported files as TypeScript: without it no-cycle cannot read them and sees no cycle.
  importX.flatConfigs.typescript,
  // The repository's scripts run on Node.
  { files: ['**/*.js', '**/*.mjs'], languageOptions: { globals: { process: 'readonly', console: 'readonly' } } },
  {
    files: ['**/*.ts'],
    settings: {
      // Resolves `./x.js` to `./x.ts` as tsc does; an unresolved import would hide a cycle.
      'import-x/resolver-next': [createTypeScriptImportResolver({ project: 'tsconfig.json' })],
    },
    rules: {
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      // `_name` marks a parameter an interface requires but this implementation does not use.
      // Terminal escapes and host data are matched for control characters on purpose.
      'no-control-regex': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
)
