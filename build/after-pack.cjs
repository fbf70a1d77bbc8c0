/**
 * electron-builder afterPack hook: flips Electron's fuses in the packaged binary before it
 * is signed, so the shipped app cannot be turned into a general Node runtime.
 *   RunAsNode off                       ELECTRON_RUN_AS_NODE cannot make it run scripts
 *   NODE_OPTIONS / --inspect off        no code injection or debugger through the environment
 *   embedded asar integrity on          a modified app.asar refuses to load
 *   only load app from asar on          no loose app folder can be put in its place
 *   cookie encryption on, file:// extra privileges off (the app uses its own app:// scheme)
 * strictlyRequireAllFuses makes a future Electron with a new fuse fail the build until
 * someone decides its value here.
 */
const path = require('node:path');
const { flipFuses, FuseVersion, FuseV1Options } = require('@electron/fuses');

const FUSES = {
  [FuseV1Options.RunAsNode]: false,
  [FuseV1Options.EnableCookieEncryption]: true,
  [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
  [FuseV1Options.EnableNodeCliInspectArguments]: false,
  [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
  [FuseV1Options.OnlyLoadAppFromAsar]: true,
  [FuseV1Options.LoadBrowserProcessSpecificV8Snapshot]: false,
  [FuseV1Options.GrantFileProtocolExtraPrivileges]: false,
};

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
