import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type ClusterForm, clusterBody, DEFAULT_CLUSTER_FORM, templateLabel } from './cluster-form.ts';

const templates = [
  { name: 'small', cpu: 1, memory: 2 },
  { name: 'gpu', cpu: 4, memory: 16, gpu: 1 },
];
const form = (over: Partial<ClusterForm>): ClusterForm => ({
  ...DEFAULT_CLUSTER_FORM,
  name: 'c1',
  namespace: 'team-a',
  headTemplate: 'small',
  workerTemplate: 'small',
  ...over,
});

test('clusterBody: head and one worker group, as the V1 clusters route takes them', () => {
  assert.deepEqual(
    clusterBody(form({ image: 'rayproject/ray:2.52.0', workerParams: 'num-cpus=1' }), templates),
    {
      body: {
        name: 'c1',
        namespace: 'team-a',
        user: 'dashboard',
        version: '2.52.0',
        clusterSpec: {
          headGroupSpec: {
            computeTemplate: 'small',
            image: 'rayproject/ray:2.52.0',
            rayStartParams: { 'dashboard-host': '0.0.0.0' },
          },
          workerGroupSpec: [
            {
              groupName: 'workers',
              computeTemplate: 'small',
              image: 'rayproject/ray:2.52.0',
              replicas: 1,
              minReplicas: 0,
              maxReplicas: 2,
              rayStartParams: { 'num-cpus': '1' },
            },
          ],
        },
      },
    },
  );
});

test('clusterBody: without workers, without an image (the API server defaults it)', () => {
  const out = clusterBody(form({ withWorkers: false, replicas: 'not checked' }), templates);
  assert.ok('body' in out);
  assert.deepEqual(out.body.clusterSpec, {
    headGroupSpec: { computeTemplate: 'small', rayStartParams: { 'dashboard-host': '0.0.0.0' } },
  });
});

test('clusterBody: each bad field is named with the reason', () => {
  const err = (over: Partial<ClusterForm>, list: typeof templates | undefined = templates) => {
    const out = clusterBody(form(over), list);
    assert.ok('error' in out, JSON.stringify(out));
    return out.error;
  };
  assert.match(err({ name: '' }), /^name: required/);
  assert.match(err({ name: 'Bad_Name' }), /^name: "Bad_Name" must be/);
  assert.match(err({ name: '1abc' }), /^name: "1abc" must be/);
  assert.match(err({ name: 'a'.repeat(64) }), /^name: "a+" must be at most 63/);
  assert.match(err({ namespace: ' ' }), /^namespace: required/);
  assert.match(err({ user: '' }), /^user: required/);
  assert.match(err({ user: 'a b' }), /^user: "a b" must be a label value/);
  assert.match(err({ version: 'latest' }), /^Ray version: "latest" is not like/);
  assert.match(err({ image: 'ray project' }), /^image: "ray project" contains spaces/);
  assert.match(err({ headTemplate: '' }), /^head compute template: choose/);
  assert.match(
    err({ headTemplate: 'huge' }),
    /^head compute template: there is no compute template "huge" in namespace team-a/,
  );
  assert.equal(
    'body' in clusterBody(form({ headTemplate: 'huge', workerTemplate: 'huge' }), undefined),
    true,
  );
  assert.match(err({ headParams: '' }), /^head ray start parameters: at least one is required/);
  assert.match(
    err({ headParams: 'num-cpus' }),
    /^head ray start parameters, line 1: "num-cpus" is not key=value/,
  );
  assert.match(err({ groupName: 'Workers!' }), /^worker group name: "Workers!" must be/);
  assert.match(err({ workerTemplate: '' }), /^worker compute template: choose/);
  assert.match(err({ replicas: '-1' }), /^replicas: "-1" is not a whole number/);
  assert.match(err({ minReplicas: '1.5' }), /^min replicas: "1.5" is not a whole number/);
  assert.match(err({ maxReplicas: '0', replicas: '0' }), /^max replicas: must be above 0/);
  assert.match(err({ minReplicas: '3', maxReplicas: '2' }), /^min replicas: 3 is above max replicas 2/);
  assert.match(err({ replicas: '5' }), /^replicas: 5 is outside min..max \(0..2\)/);
});

test('templateLabel', () => {
  assert.equal(templateLabel(templates[0]!), 'small (1 CPU, 2Gi memory)');
  assert.equal(templateLabel(templates[1]!), 'gpu (4 CPU, 16Gi memory, 1 GPU)');
});
