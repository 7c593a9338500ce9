import { ApiServerLabels, ApiServerLabelValues } from '../../api/constants.ts';
import { isAlreadyExists } from '../../k8s/api-error.ts';
import { Resources } from '../../k8s/resources.ts';
import type { RouteTable } from '../http/server.ts';
import { empty, getTemplateConfigMap, reply, routeAdder, validBody } from './common.ts';
import { computeTemplateToConfigMap, configMapToComputeTemplate } from './compute-template.ts';
import { alreadyExists, forbiddenPassThrough, internalError, wrap } from './errors.ts';
import {
  ComputeTemplate,
  ListAllComputeTemplatesResponse,
  ListComputeTemplatesResponse,
} from './messages.ts';
import { validateComputeTemplate } from './validation.ts';

const selector = { [ApiServerLabels.configType]: ApiServerLabelValues.computeTemplateConfig };

/** ComputeTemplateService: templates are ConfigMaps labelled ray.io/config-type=compute-template. */
export function registerComputeTemplates(server: RouteTable): void {
  const base = '/apis/v1/namespaces/{namespace}/compute_templates';
  const add = routeAdder(server, 'ComputeTemplateService', '', 'configmaps');
  add('POST', base, 'CreateComputeTemplate', 'create', async (ctx) => {
    const t = await validBody(
      ctx,
      ComputeTemplate,
      'computeTemplate',
      validateComputeTemplate,
      'Validate compute template runtime request failed.',
    );
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
  });
  add('GET', `${base}/{name}`, 'GetComputeTemplate', 'get', async (ctx) => {
    try {
      const cm = await getTemplateConfigMap(ctx.kube, ctx.params.namespace!, ctx.params.name!);
      return reply(ComputeTemplate, configMapToComputeTemplate(cm));
    } catch (err) {
      throw wrap(err, 'Get compute template runtime failed.');
    }
  });
  add('GET', base, 'ListComputeTemplates', 'list', async (ctx) => {
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
  });
  add('GET', '/apis/v1/compute_templates', 'ListAllComputeTemplates', 'list', async (ctx) => {
    try {
      const list = await ctx.kube.list(Resources.configMaps, { labelSelector: selector });
      return reply(ListAllComputeTemplatesResponse, {
        computeTemplates: list.items.map(configMapToComputeTemplate),
      });
    } catch (err) {
      throw wrap(err, 'List all compute templates runtime failed.');
    }
  });
  add('DELETE', `${base}/{name}`, 'DeleteComputeTemplate', 'delete', async (ctx) => {
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
  });
}
