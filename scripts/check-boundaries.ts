/** `npm run check:boundaries [root]`: exits 1 and lists every forbidden import. */
import { checkBoundaries } from './boundaries';

const root = process.argv[2] ?? process.cwd();
const violations = checkBoundaries(root);
for (const v of violations) {
  console.error(`${v.file}:${v.line}  ${JSON.stringify(v.specifier)}  — ${v.rule}`);
}
if (violations.length > 0) {
  console.error(
    `\n${violations.length} forbidden import${violations.length === 1 ? '' : 's'} (see docs/architecture.md).`,
  );
  process.exit(1);
}
console.log('import boundaries: ok');
