import tseslint from 'typescript-eslint';
import pluginVue from 'eslint-plugin-vue';
import layering from './eslint/layering.js';

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'node_modules/**', 'test-results/**', 'docs/**/*.json'] },
  ...tseslint.configs.recommended,
  ...pluginVue.configs['flat/recommended'],
  {
    files: ['**/*.vue'],
    languageOptions: { parserOptions: { parser: tseslint.parser } },
  },
  {
    files: ['**/*.{ts,js,mjs,vue}'],
    plugins: { filerlab: layering },
    rules: {
      'filerlab/layering': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'vue/multi-word-component-names': 'off',
      'vue/max-attributes-per-line': 'off',
      'vue/singleline-html-element-content-newline': 'off',
      'vue/html-self-closing': 'off',
    },
  },
  {
    // The deterministic core: no wall clock, no real randomness, no timers (DESIGN.md §2).
    files: ['emulator/{engine,hardware,ontap,clients,lab,protocol}/**/*.ts'],
    rules: {
      'no-restricted-globals': ['error',
        { name: 'setTimeout', message: 'Use the actor context timers: virtual time only in the core.' },
        { name: 'setInterval', message: 'Use the actor context timers: virtual time only in the core.' },
        { name: 'setImmediate', message: 'Use the actor context timers: virtual time only in the core.' },
        { name: 'performance', message: 'No wall clock in the deterministic core.' },
        { name: 'process', message: 'No process access in the deterministic core.' },
      ],
      'no-restricted-properties': ['error',
        { object: 'Math', property: 'random', message: 'Use the actor PRNG (ctx.random).' },
        { object: 'Date', property: 'now', message: 'No wall clock in the deterministic core.' },
      ],
      'no-restricted-syntax': ['error',
        { selector: "NewExpression[callee.name='Date']", message: 'No wall clock in the deterministic core.' },
      ],
    },
  },
);
