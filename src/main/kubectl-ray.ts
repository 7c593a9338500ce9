/** Composition root of the `kubectl ray` plugin: argv, env and the process streams in, an exit code out. */
import { runCli } from '../cli/run.ts';

const controller = new AbortController();
for (const sig of ['SIGINT', 'SIGTERM'] as const)
  process.once(sig, () => {
    controller.abort();
    // A second signal (or a command that does not watch the signal) ends the process.
    process.once(sig, () => process.exit(130));
  });

const code = await runCli(process.argv.slice(2), {
  out: process.stdout,
  err: process.stderr,
  stdin: process.stdin,
  env: process.env,
  cwd: process.cwd(),
  signal: controller.signal,
});
process.exitCode = code;
if (controller.signal.aborted || code !== 0) process.exit(code);
