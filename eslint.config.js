// ESLint flat config: typescript-eslint's strict rules, with the layering rule that keeps the domain pure.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  // AssemblyScript (compiled to WebAssembly by scripts/build-kernels.ts, which checks its types).
  { ignores: ['node_modules/**', 'data/**', '.cache/**', 'coverage/**', 'src/**/assembly/**'] },
  js.configs.recommended,
  ...tseslint.configs.strict,
  {
    languageOptions: {
      globals: {
        console: 'readonly',
        process: 'readonly',
        URL: 'readonly',
        Buffer: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
        setImmediate: 'readonly',
        performance: 'readonly',
        TextEncoder: 'readonly',
        TextDecoder: 'readonly',
        AbortController: 'readonly',
        structuredClone: 'readonly',
        globalThis: 'readonly',
        document: 'readonly',
        window: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'off',
    },
  },
  {
    // The domain is pure: plain functions over plain data. No HTTP, no SQL, no web framework.
    files: ['src/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['fastify', '@fastify/*', 'kysely', 'pg', 'better-sqlite3', 'nunjucks'],
              message: 'The domain layer must stay free of HTTP and SQL.',
            },
            {
              group: ['**/storage/**', '**/web/**', '**/cli/**'],
              message: 'The domain layer must not depend on storage, web or CLI code.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['bin/**/*.js', 'eslint.config.js'],
    languageOptions: { sourceType: 'module' },
  },
);
