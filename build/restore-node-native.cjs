/**
 * electron-builder afterAllArtifactBuild hook. To put an Electron build of better-sqlite3
 * in the app, electron-builder rebuilds it inside this project's node_modules; that build
 * cannot load under plain Node, which the tests, the server and the browser host use.
 * Once the installers exist, rebuild it for Node again so nothing else breaks.
 */
const { spawnSync } = require('node:child_process');

module.exports = async function restoreNodeNative() {
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const result = spawnSync(npm, ['rebuild', 'better-sqlite3'], {
    stdio: 'inherit',
    shell: process.platform === 'win32',
  });
  if (result.status !== 0) {
    console.warn('Could not rebuild better-sqlite3 for Node; run `npm rebuild better-sqlite3` before `npm test`.');
  }
  return [];
};
