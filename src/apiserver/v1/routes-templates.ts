import { isAlreadyExists } from '../../k8s/api-error.ts';
import { Resources } from '../../k8s/resources.ts';
import type { RouteTable } from '../http/server.ts';
import { attrs, body, empty, getTemplateConfigMap, reply, rpc } from './common.ts';
import {
  COMPUTE_TEMPLATE_TYPE,
  CONFIG_TYPE_LABEL,
  computeTemplateToConfigMap,
  configMapToComputeTemplate,
} from './compute-template.ts';
import { alreadyExists, forbiddenPassThrough, internalError, wrap } from './errors.ts';
import {
  ComputeTemplate,
  ListAllComputeTemplatesResponse,
  ListComputeTemplatesResponse,
} from './messages.ts';
import { validateComputeTemplate } from './validation.ts';

const S = 'ComputeTemplateService';
const selector = { [CONFIG_TYPE_LABEL]: COMPUTE_TEMPLATE_TYPE };

/** ComputeTemplateService: templates are ConfigMaps labelled ray.io/config-type=compute-template. */
export function registerComputeTemplates(server: RouteTable): void {
  const base = '/apis/v1/namespaces/{namespace}/compute_templates';
  server.add(
    'POST',
    base,
    rpc(S, 'CreateComputeTemplate', attrs('create', '', 'configmaps'), async (ctx) => {
      const t = await body(ctx, ComputeTemplate, 'computeTemplate');
      const bad = validateComputeTemplate(ctx.params.namespace!, t);
      if (bad) throw bad.wrap('Validate compute template runtime request failed.');
      const name = String(t.name);
      const ns = String(t.namespace);
      const exists = await getTemplateConfigMap(ctx.kube, ns, name).then(
        () => true,
        () => false,
      );
      const context = 'Create compute template Runtime failed.';
      if (exists)
        throw alreadyExists(`Compute template with name ${name} already exists in namespace ${ns}`).wrap(
          context,
        );
      try {
        const created = await ctx.kube.create(Resources.configMaps, computeTemplateToConfigMap(t) as never);
        return reply(ComputeTemplate, configMapToComputeTemplate(created));
      } catch (err) {
        if (isAlreadyExists(err))
          throw alreadyExists(`Compute template with name ${name} already exists in namespace ${ns}`).wrap(
            context,
          );
        throw (
          forbiddenPassThrough(err) ??
          internalError(err, `Failed to create a compute runtime for (${ns}/${name})`).wrap(context)
        );
      }
    }),
  );
  server.add(
    'GET',
    `${base}/{name}`,
    rpc(S, 'GetComputeTemplate', attrs('get', '', 'configmaps'), async (ctx) => {
      try {
        const cm = await getTemplateConfigMap(ctx.kube, ctx.params.namespace!, ctx.params.name!);
        return reply(ComputeTemplate, configMapToComputeTemplate(cm));
      } catch (err) {
        throw wrap(err, 'Get compute template runtime failed.');
      }
    }),
  );
  server.add(
    'GET',
    base,
    rpc(S, 'ListComputeTemplates', attrs('list', '', 'configmaps'), async (ctx) => {
      try {
        const list = await ctx.kube.list(Resources.configMaps, {
          namespace: ctx.params.namespace!,
          labelSelector: selector,
        });
        return reply(ListComputeTemplatesResponse, {
          computeTemplates: list.items.map(configMapToComputeTemplate),
        });
      } catch (err) {
        throw wrap(wrap(err, 'List compute templates failed'), 'List compute templates runtime failed.');
      }
    }),
  );
  server.add(
    'GET',
    '/apis/v1/compute_templates',
    rpc(S, 'ListAllComputeTemplates', attrs('list', '', 'configmaps'), async (ctx) => {
      try {
        const list = await ctx.kube.list(Resources.configMaps, { labelSelector: selector });
        return reply(ListAllComputeTemplatesResponse, {
          computeTemplates: list.items.map(configMapToComputeTemplate),
        });
      } catch (err) {
        throw wrap(err, 'List all compute templates runtime failed.');
      }
    }),
  );
  server.add(
    'DELETE',
    `${base}/{name}`,
    rpc(S, 'DeleteComputeTemplate', attrs('delete', '', 'configmaps'), async (ctx) => {
      const { namespace, name } = ctx.params as { namespace: string; name: string };
      try {
        await getTemplateConfigMap(ctx.kube, namespace, name);
      } catch (err) {
        throw wrap(err, 'Get compute template failure');
      }
      try {
        await ctx.kube.delete(Resources.configMaps, namespace, name);
      } catch (err) {
        throw forbiddenPassThrough(err) ?? internalError(err, `failed to delete compute template ${name}.`);
      }
      return empty();
    }),
  );
}
