/**
 * The light-weight RayJob submitter (KubeRay's `quay.io/kuberay/submitter` image, entrypoint `/submitter`):
 * submits the job to the Ray dashboard and prints its logs until it finishes. `--help` for usage.
 * The local node runs this file for that image.
 */
import { runSubmitter } from '../ray/submitter/index.ts';

process.exitCode = await runSubmitter({
  argv: process.argv.slice(2),
  env: process.env,
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
});
