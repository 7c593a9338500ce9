import cluster from './cluster.swagger.json' with { type: 'json' };
import config from './config.swagger.json' with { type: 'json' };
import job from './job.swagger.json' with { type: 'json' };
import jobSubmission from './job_submission.swagger.json' with { type: 'json' };
import serve from './serve.swagger.json' with { type: 'json' };

/**
 * Our generated swagger files (`scripts/gen-swagger.ts`), served at `/swagger/{file}` when `-localSwaggerPath`
 * is not given. They are imported (so the compiled build carries them) and written back in the generator's
 * form, byte for byte the committed files.
 */
export function builtinSwaggerFiles(): Map<string, Buffer> {
  const docs: Record<string, unknown> = {
    'cluster.swagger.json': cluster,
    'config.swagger.json': config,
    'job.swagger.json': job,
    'job_submission.swagger.json': jobSubmission,
    'serve.swagger.json': serve,
  };
  return new Map(
    Object.entries(docs).map(([name, doc]) => [name, Buffer.from(`${JSON.stringify(doc, null, 2)}\n`)]),
  );
}
