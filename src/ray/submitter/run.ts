import { errorMessage } from '../../lib/errors.ts';
import { HttpDashboardClient, isJobAlreadySubmitted } from '../dashboard-client.ts';
import { directTransport, proxyTimeoutMs } from '../transport.ts';
import {
  httpBase,
  parseSubmitterArgs,
  readSubmitterEnv,
  type SubmitterArgs,
  type SubmitterEnv,
  submitRequest,
  submitterUsage,
  tailUrl,
} from './args.ts';
import { normalClosure, type TailOptions, type TailResult, tailJobLogs } from './tail.ts';

/** KubeRay's submitter gives the submission request 10 s (the dashboard client's proxy timeout). */
export const submitTimeoutMs = proxyTimeoutMs;

export interface SubmitterIo {
  readonly argv: readonly string[];
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Standard output: job logs as they come, and the `SUCC -- ` / `INFO -- ` lines. */
  readonly out: (text: string) => void;
  /** Standard error: the `ERROR -- ` lines. */
  readonly err: (text: string) => void;
  /** For tests: another log follower. */
  readonly tail?: (o: TailOptions) => Promise<TailResult>;
}

/** Runs the light-weight submitter and returns its exit code (0 success, 1 error). Never throws. */
export async function runSubmitter(io: SubmitterIo): Promise<number> {
  const fail = (message: string): number => {
    io.err(`ERROR -- ${message}\n`);
    return 1;
  };
  let args: SubmitterArgs;
  let env: SubmitterEnv;
  try {
    args = parseSubmitterArgs(io.argv);
    if (args.help) {
      io.out(submitterUsage);
      return 0;
    }
    env = readSubmitterEnv(io.env);
  } catch (e) {
    return fail(`${errorMessage(e)}\n${submitterUsage}`);
  }
  const id = env.submissionId;
  const client = new HttpDashboardClient({
    transport: directTransport(httpBase(env.dashboardAddress), submitTimeoutMs),
    ...(env.authToken ? { authToken: env.authToken } : {}),
  });
  io.out(`INFO -- Submitting job ${id} to ${httpBase(env.dashboardAddress)}: ${args.entrypoint}\n`);
  try {
    await client.submitJob(submitRequest(args, env));
    io.out(`SUCC -- Job ${id} submitted\n`);
  } catch (e) {
    if (!isJobAlreadySubmitted(e)) return fail(`cannot submit job ${id}: ${errorMessage(e)}`);
    io.out(`INFO -- Job ${id} was already submitted; following its logs\n`);
  }
  const url = tailUrl(env.dashboardAddress, id);
  io.out(`INFO -- Tailing the logs of job ${id} from ${url} until it finishes\n`);
  const result = await (io.tail ?? tailJobLogs)({
    url,
    ...(env.authToken ? { authToken: env.authToken } : {}),
    onMessage: io.out,
  });
  if (result.code === normalClosure && !result.error) {
    io.out(`SUCC -- The log stream of job ${id} closed normally: the job has finished\n`);
    // Informational only: the RayJob controller reads the job's status itself, so the exit code stays 0.
    try {
      const info = await client.getJobInfo(id);
      io.out(
        `INFO -- Job ${id} status: ${info.status ?? 'unknown'}${info.message ? ` (${info.message.split('\n')[0]})` : ''}\n`,
      );
    } catch (e) {
      io.out(`INFO -- Job ${id} status unknown: ${errorMessage(e)}\n`);
    }
    return 0;
  }
  const why = result.error ?? `closed with code ${result.code}${result.reason ? ` (${result.reason})` : ''}`;
  return fail(`the log stream of job ${id} ended abnormally: ${why}`);
}
