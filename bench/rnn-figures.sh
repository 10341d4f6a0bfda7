#!/usr/bin/env bash
# Language-model figures of docs/BENCHMARKS.md ("Recurrent cells on the Brown corpus"): searches of an enas-rnn cell
# with nao-ws, rsws and enas (seed 0), then each found cell, TorchSharp's LSTM and two random cells trained alike with
# seeds 0, 1, 2. One libtorch thread per process (OMP_NUM_THREADS); run two of these lists at once on 2 cores if you like.
# Usage: bench/rnn-figures.sh OUT_DIR [NASCENT_COMMAND...]   (default command: dotnet run -c Release --project src/Nascent.Cli --)
set -euo pipefail
out=${1:?usage: bench/rnn-figures.sh OUT_DIR [NASCENT_COMMAND...]}; shift
if [ $# -gt 0 ]; then nascent=("$@"); else nascent=(dotnet run -c Release --project "$(dirname "$0")/../src/Nascent.Cli" --); fi
corpus=$(bash "$(dirname "$0")/fetch-text-corpus.sh" "${NASCENT_DATA:-$HOME/.nascent/data}/text" brown)
export OMP_NUM_THREADS=1
common=(--text "$corpus" --train-tokens 200000 --hidden 128 --batch-size 32 --bptt 35 --quiet)
mkdir -p "$out"
for strategy in nao-ws rsws enas; do
  "${nascent[@]}" search --space enas-rnn --strategy "$strategy" --epochs 3 --candidates 30 "${common[@]}" --seed 0 \
    --out "$out/search-$strategy"
done
# two cells drawn uniformly (python3: random.seed(1); per node an activation, and an input among the earlier nodes)
random1="relu tanh~0 tanh~1 sigmoid~1 sigmoid~1 tanh~3 tanh~3 sigmoid~4"
random2="tanh sigmoid~0 relu~0 identity~0 tanh~0 tanh~3 relu~3 tanh~4"
for seed in 0 1 2; do
  for strategy in nao-ws rsws enas; do
    "${nascent[@]}" train --from "$out/search-$strategy" --epochs 3 "${common[@]}" --seed $seed --out "$out/train-$strategy-s$seed"
  done
  "${nascent[@]}" train --model lstm --epochs 3 "${common[@]}" --seed $seed --out "$out/train-lstm-s$seed"
  "${nascent[@]}" train --space enas-rnn --arch "$random1" --epochs 3 "${common[@]}" --seed $seed --out "$out/train-random1-s$seed"
  "${nascent[@]}" train --space enas-rnn --arch "$random2" --epochs 3 "${common[@]}" --seed $seed --out "$out/train-random2-s$seed"
done
# the table: validation and test perplexity per model and seed
for f in "$out"/train-*/result.json; do
  python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); c=r["best"]["costs"]; print(sys.argv[1].split("/")[-2], r["best"]["params"], round(c["validation_perplexity"],1), round(c["test_perplexity"],1), round(c["tokens_per_second"]))' "$f"
done
