/**
 * electron-builder afterPack hook: flips Electron's fuses in the packaged binary before it
 * is signed, so the shipped app cannot be turned into a general Node runtime.
 *   RunAsNode off                       ELECTRON_RUN_AS_NODE cannot make it run scripts
 *   NODE_OPTIONS / --inspect off        no code injection or debugger through the environment
 *   embedded asar integrity on          a modified app.asar refuses to load
 *   only load app from asar on          no loose app folder can be put in its place
 *   cookie encryption on, file:// extra privileges off (the app uses its own app:// scheme)
 *   browser-process V8 snapshot off, WebAssembly trap handlers on (Electron's defaults)
 * strictlyRequireAllFuses makes a binary whose wire has a fuse not decided here fail the
 * build; ELECTRON_FUSE_WIRE below ties the decided list to one Electron version.
 */
const path = require('node:path');
const { flipFuses, FuseVersion, FuseV1Options } = require('@electron/fuses');

/**
 * The fuse wire of the Electron major in package-lock.json, in wire order. Locked: a
 * different Electron in the lockfile fails packaging.test.ts until someone reads that
 * version's fuse list (Electron's docs/tutorial/fuses.md, or `npx @electron/fuses read
 * --app <binary>`) and decides every fuse it adds. Electron 41 carries WasmTrapHandlers
 * (Electron PR 48983; @electron/fuses 2.1.0 added it) after the eight older fuses.
 */
const ELECTRON_FUSE_WIRE = {
  electronMajor: 41,
  fuses: [
    'RunAsNode',
    'EnableCookieEncryption',
    'EnableNodeOptionsEnvironmentVariable',
    'EnableNodeCliInspectArguments',
    'EnableEmbeddedAsarIntegrityValidation',
    'OnlyLoadAppFromAsar',
    'LoadBrowserProcessSpecificV8Snapshot',
    'GrantFileProtocolExtraPrivileges',
    'WasmTrapHandlers',
  ],
};

/** Each fuse's value, by name. */
const FUSE_VALUES = {
  RunAsNode: false,
  EnableCookieEncryption: true,
  EnableNodeOptionsEnvironmentVariable: false,
  EnableNodeCliInspectArguments: false,
  EnableEmbeddedAsarIntegrityValidation: true,
  OnlyLoadAppFromAsar: true,
  LoadBrowserProcessSpecificV8Snapshot: false,
  GrantFileProtocolExtraPrivileges: false,
  WasmTrapHandlers: true,
};

/** The values by wire index, as @electron/fuses takes them. */
const FUSES = Object.fromEntries(
  Object.entries(FUSE_VALUES).map(([name, value]) => {
    const index = FuseV1Options[name];
    if (typeof index !== 'number') throw new Error(`The installed @electron/fuses does not know the fuse ${name}`);
    return [index, value];
  }),
);

function fuseConfig(platformName) {
  return {
    version: FuseVersion.V1,
    strictlyRequireAllFuses: true,
    // Flipping fuses invalidates an ad-hoc signature; real signing happens after this hook.
    resetAdHocDarwinSignature: platformName === 'darwin' || platformName === 'mas',
    ...FUSES,
  };
}

/** The Electron binary inside the packed app, per platform. */
function executablePath(context) {
  const { electronPlatformName, appOutDir, packager } = context;
  const productFilename = packager.appInfo.productFilename;
  if (electronPlatformName === 'darwin' || electronPlatformName === 'mas') {
    return path.join(appOutDir, `${productFilename}.app`);
  }
  if (electronPlatformName === 'win32') return path.join(appOutDir, `${productFilename}.exe`);
  return path.join(appOutDir, packager.executableName);
}

async function afterPack(context, flip = flipFuses) {
  await flip(executablePath(context), fuseConfig(context.electronPlatformName));
}

module.exports = afterPack;
module.exports.default = afterPack;
module.exports.fuseConfig = fuseConfig;
module.exports.executablePath = executablePath;
module.exports.FUSES = FUSES;
module.exports.FUSE_VALUES = FUSE_VALUES;
module.exports.ELECTRON_FUSE_WIRE = ELECTRON_FUSE_WIRE;
