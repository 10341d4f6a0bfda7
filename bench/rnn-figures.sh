#!/usr/bin/env bash
# Language-model figures of docs/BENCHMARKS.md ("Recurrent cells on the Brown corpus"): an ENAS search of an enas-rnn
# cell, then the found cell, TorchSharp's LSTM and two random cells trained alike. One libtorch thread (OMP_NUM_THREADS).
# Usage: bench/rnn-figures.sh OUT_DIR [NASCENT_COMMAND...]   (default command: dotnet run -c Release --project src/Nascent.Cli --)
set -euo pipefail
out=${1:?usage: bench/rnn-figures.sh OUT_DIR [NASCENT_COMMAND...]}; shift
if [ $# -gt 0 ]; then nascent=("$@"); else nascent=(dotnet run -c Release --project "$(dirname "$0")/../src/Nascent.Cli" --); fi
corpus=$(bash "$(dirname "$0")/fetch-text-corpus.sh" "${NASCENT_DATA:-$HOME/.nascent/data}/text" brown)
export OMP_NUM_THREADS=1
common=(--text "$corpus" --train-tokens 200000 --hidden 128 --batch-size 32 --bptt 35 --seed 0 --quiet)
mkdir -p "$out"
/usr/bin/time -f "%e s" "${nascent[@]}" search --space enas-rnn --strategy enas --epochs 3 --candidates 30 "${common[@]}" \
  --out "$out/search-enas" | tee "$out/search-enas.txt"
train() { /usr/bin/time -f "%e s" "${nascent[@]}" train --epochs 3 "${common[@]}" "$@"; }
train --from "$out/search-enas" --out "$out/train-enas" | tee "$out/train-enas.txt"
train --model lstm --out "$out/train-lstm" | tee "$out/train-lstm.txt"
# two cells drawn uniformly (python3: random.seed(1); per node an activation, and an input among the earlier nodes)
train --space enas-rnn --arch "relu tanh~0 tanh~1 sigmoid~1 sigmoid~1 tanh~3 tanh~3 sigmoid~4" --out "$out/train-random1" | tee "$out/train-random1.txt"
train --space enas-rnn --arch "tanh sigmoid~0 relu~0 identity~0 tanh~0 tanh~3 relu~3 tanh~4" --out "$out/train-random2" | tee "$out/train-random2.txt"
