// Command kuberay-hash prints KubeRay v1.5.0's `ray.io/hash-without-replicas-and-workers-to-delete` for
// RayServices read from stdin, one JSON object per line, and the JSON it hashed. It decodes each object into
// KubeRay's Go type (dropping fields the type does not know, as the operator does), clears the fields
// rayservice_controller.go's generateHashWithoutReplicasAndWorkersToDelete clears, and calls KubeRay's own
// utils.GenerateJsonHash. The tests compare the TypeScript hash with this output.
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"

	rayv1 "github.com/ray-project/kuberay/ray-operator/apis/ray/v1"
	"github.com/ray-project/kuberay/ray-operator/controllers/ray/utils"
)

type result struct {
	Hash  string `json:"hash,omitempty"`
	JSON  string `json:"json,omitempty"`
	Error string `json:"error,omitempty"`
}

func hash(line []byte) result {
	var rs rayv1.RayService
	if err := json.Unmarshal(line, &rs); err != nil {
		return result{Error: err.Error()}
	}
	spec := rs.Spec.RayClusterSpec.DeepCopy()
	for i := range spec.WorkerGroupSpecs {
		spec.WorkerGroupSpecs[i].Replicas = nil
		spec.WorkerGroupSpecs[i].MaxReplicas = nil
		spec.WorkerGroupSpecs[i].MinReplicas = nil
		spec.WorkerGroupSpecs[i].ScaleStrategy.WorkersToDelete = nil
	}
	h, err := utils.GenerateJsonHash(spec)
	if err != nil {
		return result{Error: err.Error()}
	}
	b, _ := json.Marshal(spec)
	return result{Hash: h, JSON: string(b)}
}

func main() {
	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 1<<20), 64<<20)
	out := json.NewEncoder(os.Stdout)
	for in.Scan() {
		if len(in.Bytes()) == 0 {
			continue
		}
		if err := out.Encode(hash(in.Bytes())); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
	}
	if err := in.Err(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
