// The layering rule of DESIGN.md §1, checked on every import (in the spirit of VS Code's
// code-layering rule). Each file belongs to a layer by its path; each layer names the layers and
// packages it may import. An import across the rule is a lint error, so `npm test` fails on it.
import path from 'node:path';
import { builtinModules } from 'node:module';

const ROOT = path.resolve(import.meta.dirname, '..');

/** Ordered: the first prefix that matches a repo-relative path names its layer. */
const LAYER_PREFIXES = [
  ['emulator/protocol/', 'protocol'],
  ['emulator/engine/', 'engine'],
  ['emulator/hardware/', 'hardware'],
  ['emulator/ontap/', 'ontap'],
  ['emulator/clients/', 'clients'],
  ['emulator/lab/', 'lab'],
  ['emulator/host/', 'host'],
  ['emulator/cli/', 'cli'],
  ['electron/', 'electron'],
  ['renderer/', 'renderer'],
  ['test/', 'test'],
];

const CORE_PACKAGES = ['zod', 'yaml'];

/** What each layer may import: other layers, Node built-ins, and npm packages. */
export const LAYER_RULES = {
  protocol: { layers: ['protocol'], node: false, packages: ['zod'] },
  engine: { layers: ['protocol', 'engine'], node: false, packages: CORE_PACKAGES },
  hardware: { layers: ['protocol', 'engine', 'hardware'], node: false, packages: CORE_PACKAGES },
  ontap: { layers: ['protocol', 'engine', 'hardware', 'ontap'], node: false, packages: CORE_PACKAGES },
  clients: { layers: ['protocol', 'engine', 'hardware', 'ontap', 'clients'], node: false, packages: CORE_PACKAGES },
  lab: { layers: ['protocol', 'engine', 'hardware', 'ontap', 'clients', 'lab'], node: false, packages: CORE_PACKAGES },
  host: {
    layers: ['protocol', 'engine', 'hardware', 'ontap', 'clients', 'lab', 'host'],
    node: true,
    packages: ['*', '!electron', '!vue', '!pinia', '!@xterm/xterm'],
  },
  cli: {
    layers: ['protocol', 'engine', 'hardware', 'ontap', 'clients', 'lab', 'host', 'cli'],
    node: true,
    packages: ['*', '!electron', '!vue', '!pinia', '!@xterm/xterm'],
  },
  electron: { layers: ['protocol', 'host', 'electron'], node: true, packages: ['electron'] },
  renderer: { layers: ['protocol', 'renderer'], node: false, packages: ['vue', 'pinia', '@xterm/*', 'zod'] },
  test: { layers: ['*'], node: true, packages: ['*'] },
};

export function layerOf(absolutePath) {
  const relative = path.relative(ROOT, absolutePath).split(path.sep).join('/');
  for (const [prefix, layer] of LAYER_PREFIXES) {
    if (relative.startsWith(prefix)) return layer;
  }
  return undefined;
}

function packageName(specifier) {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

function packageAllowed(rule, name) {
  if (rule.packages.includes(`!${name}`)) return false;
  return rule.packages.some((allowed) =>
    allowed === '*' || allowed === name || (allowed.endsWith('/*') && name.startsWith(allowed.slice(0, -1))));
}

/** Returns why the import is refused, or undefined when it is allowed. */
export function checkImport(fromFile, specifier) {
  const fromLayer = layerOf(fromFile);
  if (!fromLayer) return undefined;
  const rule = LAYER_RULES[fromLayer];
  if (specifier.startsWith('.') || specifier.startsWith('/')) {
    const target = path.resolve(path.dirname(fromFile), specifier);
    const toLayer = layerOf(target);
    if (!toLayer || toLayer === fromLayer) return undefined;
    if (rule.layers.includes('*') || rule.layers.includes(toLayer)) return undefined;
    return `${fromLayer} may not import ${toLayer} (DESIGN.md §1); allowed: ${rule.layers.join(', ')}`;
  }
  const isNode = specifier.startsWith('node:') || builtinModules.includes(packageName(specifier));
  if (isNode) {
    return rule.node ? undefined : `${fromLayer} may not use Node built-in '${specifier}': only emulator/host, emulator/cli and electron/ touch the OS`;
  }
  const name = packageName(specifier);
  if (packageAllowed(rule, name)) return undefined;
  return `${fromLayer} may not import package '${name}'`;
}

const rule = {
  meta: {
    type: 'problem',
    docs: { description: 'Keep the layers of DESIGN.md §1 apart' },
    schema: [],
    messages: { refused: '{{why}}' },
  },
  create(context) {
    const file = context.filename;
    function check(node, source) {
      if (!source || typeof source.value !== 'string') return;
      const why = checkImport(file, source.value);
      if (why) context.report({ node: source, messageId: 'refused', data: { why } });
    }
    return {
      ImportDeclaration: (node) => check(node, node.source),
      ExportNamedDeclaration: (node) => check(node, node.source),
      ExportAllDeclaration: (node) => check(node, node.source),
      ImportExpression: (node) => check(node, node.source),
    };
  },
};

export default { rules: { layering: rule } };
