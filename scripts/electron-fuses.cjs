// electron-builder's afterPack hook: flips Electron's fuses in the packaged binary before it is signed
// (Electron's security checklist: https://www.electronjs.org/docs/latest/tutorial/fuses). electron-builder
// 25 has no `electronFuses` option and @electron/fuses is not a dependency, so the fuse wire is written
// here, as @electron/fuses does: after the sentinel, a version byte (1), a length byte, then one ASCII
// byte per fuse, '0' off, '1' on, 'r' removed. CommonJS: electron-builder require()s its hooks.
/* eslint-disable @typescript-eslint/no-require-imports -- electron-builder 25 require()s its hooks: CommonJS */
'use strict';
const { readFileSync, writeFileSync } = require('node:fs');
const path = require('node:path');

const SENTINEL = Buffer.from('dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX');
const WIRE_VERSION = 1;

/** Fuse positions of wire version 1 (FuseV1Options in @electron/fuses). */
const FUSE_INDEX = {
  runAsNode: 0,
  enableCookieEncryption: 1,
  enableNodeOptionsEnvironmentVariable: 2,
  enableNodeCliInspectArguments: 3,
  enableEmbeddedAsarIntegrityValidation: 4,
  onlyLoadAppFromAsar: 5,
  loadBrowserProcessSpecificV8Snapshot: 6,
  grantFileProtocolExtraPrivileges: 7,
};

/**
 * FilerLab's fuses. RunAsNode off: the console PTYs use the app's own --filerlab-console flag instead
 * (electron/console-mode.ts). The UI is served over app://, so file:// needs no extra privileges.
 */
const FILERLAB_FUSES = {
  runAsNode: false,
  enableCookieEncryption: true,
  enableNodeOptionsEnvironmentVariable: false,
  enableNodeCliInspectArguments: false,
  enableEmbeddedAsarIntegrityValidation: true,
  onlyLoadAppFromAsar: true,
  grantFileProtocolExtraPrivileges: false,
};

/** Sets `fuses` in every fuse wire of `binary` (a Buffer, changed in place); returns how many wires. */
function flipFuses(binary, fuses) {
  let wires = 0;
  for (let at = binary.indexOf(SENTINEL); at >= 0; at = binary.indexOf(SENTINEL, at + SENTINEL.length)) {
    const wire = at + SENTINEL.length;
    if (binary[wire] !== WIRE_VERSION) throw new Error(`fuse wire version ${binary[wire]} at byte ${wire}; this hook writes version ${WIRE_VERSION}`);
    const length = binary[wire + 1];
    for (const [name, enabled] of Object.entries(fuses)) {
      const index = FUSE_INDEX[name];
      if (index === undefined) throw new Error(`unknown fuse ${name}`);
      if (index >= length) throw new Error(`this Electron has no fuse ${name} (its wire holds ${length})`);
      const state = binary[wire + 2 + index];
      if (state === 0x72 /* 'r' */) throw new Error(`fuse ${name} was removed from this Electron`);
      binary[wire + 2 + index] = enabled ? 0x31 : 0x30;
    }
    wires++;
  }
  if (wires === 0) throw new Error('no fuse wire in the binary (not an Electron binary?)');
  return wires;
}

/** The file that holds the fuse wire in a packed app. */
function electronBinaryOf(context) {
  const { appOutDir, electronPlatformName, packager } = context;
  const product = packager.appInfo.productFilename;
  if (electronPlatformName === 'darwin' || electronPlatformName === 'mas') {
    return path.join(appOutDir, `${product}.app`, 'Contents', 'Frameworks', 'Electron Framework.framework', 'Electron Framework');
  }
  if (electronPlatformName === 'win32') return path.join(appOutDir, `${product}.exe`);
  return path.join(appOutDir, packager.executableName);
}

async function afterPack(context) {
  const file = electronBinaryOf(context);
  const binary = readFileSync(file);
  const wires = flipFuses(binary, FILERLAB_FUSES);
  writeFileSync(file, binary);
  console.log(`electron-fuses: ${Object.keys(FILERLAB_FUSES).length} fuses set in ${wires} wire(s) of ${path.basename(file)}`);
}

module.exports = afterPack;
module.exports.default = afterPack;
module.exports.flipFuses = flipFuses;
module.exports.FILERLAB_FUSES = FILERLAB_FUSES;
module.exports.FUSE_INDEX = FUSE_INDEX;
