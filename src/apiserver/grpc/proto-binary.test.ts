// biome-ignore-all lint/suspicious/noExplicitAny: protobufjs answers untyped objects
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadSync } from '@grpc/proto-loader';
import { Cluster, JobSubmissionInfo } from '../v1/messages.ts';
import { decodeBinary, encodeBinary } from './proto-binary.ts';
import { protoText } from './proto-text.ts';
import { RPCS } from './services.ts';

const protoFile = join(import.meta.dirname, 'kuberay_api.proto');

test('the committed kuberay_api.proto is what the descriptors generate', () => {
  assert.equal(readFileSync(protoFile, 'utf8'), protoText());
});

const cluster = {
  name: 'c',
  namespace: 'ns',
  user: 'u',
  environment: 2,
  clusterSpec: {
    headGroupSpec: {
      computeTemplate: 't',
      rayStartParams: { 'dashboard-host': '0.0.0.0' },
      volumes: [{ name: 'v', mountPath: '/x', volumeType: 3, items: { a: 'b' } }],
      securityContext: { privileged: false, capabilities: { add: ['SYS_PTRACE'] } },
    },
    workerGroupSpec: [{ groupName: 'w', computeTemplate: 't', replicas: 2, minReplicas: -1, maxReplicas: 3 }],
    enableInTreeAutoscaling: true,
  },
  createdAt: '2025-01-02T03:04:05Z',
  events: [{ id: 'e', count: 3, firstTimestamp: '2025-01-02T03:04:05.500Z' }],
  serviceEndpoint: { dashboard: '8265' },
};

test('binary round trip keeps the decoded form (enums, maps, negatives, optional false, timestamps)', () => {
  assert.deepEqual(decodeBinary(Cluster, encodeBinary(Cluster, cluster)), cluster);
  const info = { submissionId: 'raysubmit_1', startTime: 1700000000123, status: 'SUCCEEDED' };
  assert.deepEqual(decodeBinary(JobSubmissionInfo, encodeBinary(JobSubmissionInfo, info)), info);
});

test('protobufjs reading our .proto agrees with our codec, both ways', () => {
  const pkg = loadSync(protoFile, {
    keepCase: false,
    longs: Number,
    enums: Number,
    defaults: false,
    oneofs: true,
  });
  const create = (pkg['proto.ClusterService'] as Record<string, any>).CreateCluster;
  const { createdAt: _c, events: _e, ...input } = cluster;
  const fromThem = create.requestSerialize({ cluster: input, namespace: 'ns' }) as Buffer;
  const r = RPCS.find((x) => x.method === 'CreateCluster')!;
  assert.deepEqual(decodeBinary(r.request, fromThem), { cluster: input, namespace: 'ns' });
  const theirView = create.responseDeserialize(Buffer.from(encodeBinary(Cluster, cluster)));
  assert.equal(theirView.clusterSpec.workerGroupSpec[0].minReplicas, -1);
  assert.equal(theirView.clusterSpec.headGroupSpec.securityContext.privileged, false);
  assert.equal(theirView.environment, 2);
  assert.deepEqual(theirView.serviceEndpoint, { dashboard: '8265' });
  assert.equal(Number(theirView.createdAt.seconds), Date.parse('2025-01-02T03:04:05Z') / 1000);
  assert.equal(theirView.events[0].firstTimestamp.nanos, 500_000_000);
});

test('malformed bytes are an InvalidArgument error, not a crash', () => {
  assert.throws(
    () => decodeBinary(Cluster, Uint8Array.from([0x0a, 0x05, 0x61])),
    /malformed protobuf message: truncated field/,
  );
  assert.throws(() => decodeBinary(Cluster, Uint8Array.from([0x28, 0xff])), /truncated varint/);
});
