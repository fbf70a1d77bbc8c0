import { CliError, parseCliArgs, USAGE } from './cli-args';
import { startBrowserHost } from './index';

/** `npm run browser`: build the renderer if needed, serve the app on 127.0.0.1, print the address. */
async function main(): Promise<void> {
  let options: ReturnType<typeof parseCliArgs>;
  try {
    options = parseCliArgs(process.argv.slice(2));
  } catch (error) {
    if (error instanceof CliError) {
      console.error(error.message);
      process.exit(2);
    }
    throw error;
  }
  if (options === 'help') {
    console.log(USAGE);
    return;
  }
  const host = await startBrowserHost({ ...options, build: 'if-stale', prewarmDemo: true });
  console.log(`Creator Inbox is running at:\n\n  ${host.url}\n`);
  console.log(`Data folder: ${host.dataDir}`);
  console.log('This address works once, in one browser; do not share it. Ctrl+C stops the app.');

  const shutdown = () => {
    host.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
