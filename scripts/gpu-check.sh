#!/usr/bin/env bash
# The checks that need an NVIDIA GPU and TensorRT 11.2, in one run (about 5 minutes after the first
# download): the tests tagged `gpu`, then a build of two corpus models through the command line, and
# each engine run beside onnxruntime (outputs compared, layers, latency).
# On a machine without them every step says so and the script exits 5; nothing is reported as passed.
#
#   scripts/gpu-check.sh              # TensorRT 11.2, CUDA 13, cuBLAS 13, cuDNN 9 installed from NVIDIA
#   NATIVES=1 scripts/gpu-check.sh    # bring TensorRT and CUDA as jars instead (mvn -P tensorrt-natives, ~900 MB)
set -euo pipefail
cd "$(dirname "$0")/.."
profile=()
if [[ "${NATIVES:-0}" == 1 ]]; then
  profile=(-P tensorrt-natives)
fi
start=$SECONDS

echo "== 1. the tests tagged gpu (EngineBuildGpuTest: a build with a profile and a timing cache)"
mvn -B -q "${profile[@]}" -pl engine-builder -am test -Dgroups=gpu -Dsurefire.failIfNoSpecifiedTests=false
skipped=$(grep -ho 'skipped="[1-9][0-9]*"' engine-builder/target/surefire-reports/TEST-*Gpu*.xml || true)
if [[ -n "$skipped" ]]; then
  grep -ho 'message="[^"]*"' engine-builder/target/surefire-reports/TEST-*Gpu*.xml | head -1
  echo "gpu-check: the GPU tests were skipped: TensorRT cannot run here (see the reason above)"
  exit 5
fi

echo "== 2. build two corpus models with the command line"
mvn -B -q "${profile[@]}" -DskipTests package
out=$(mktemp -d)
./onnx2trt build testdata/corpus/resnet18_w8.onnx -o "$out/resnet18.engine" --memPoolSize workspace:1024M
./onnx2trt build testdata/corpus/shufflenet_v2_small_dynbatch.onnx -o "$out/shufflenet.engine" \
  --minShapes input:1x3x64x64 --optShapes input:8x3x64x64 --maxShapes input:32x3x64x64 --timingCacheFile "$out/timing.cache"
ls -l "$out"

echo "== 3. run each engine beside onnxruntime: outputs compared, layers, latency (TF32 is on: tolerances 1e-2)"
./onnx2trt run-engine "$out/resnet18.engine" --model testdata/corpus/resnet18_w8.onnx --atol 1e-2 --rtol 1e-2
./onnx2trt run-engine "$out/shufflenet.engine" --model testdata/corpus/shufflenet_v2_small_dynbatch.onnx \
  --input-shape input:8,3,64,64 --atol 1e-2 --rtol 1e-2
echo "gpu-check: done in $((SECONDS - start)) s"
