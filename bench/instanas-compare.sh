#!/usr/bin/env bash
# Issue 19, item 4: InstaNAS against the MobileNetV2-like fixed selection (ir3e6 in every block), the full meta-graph and
# the fastest fixed selection as accurate, one `nascent search --strategy instanas` per seed (each run trains all four
# from the same one-shot weights with the same budget and times them together, interleaved image by image, over
# --timing-rounds rounds), then one table: per seed and as mean ± std over the seeds, InstaNAS's measured latency cut
# against the MobileNetV2-like network (and whether it exceeds the timing's spread) and its accuracy change.
# Target: >= 30 % less latency at <= 0.5 points lost, in every seed. Run it ALONE on the machine: the timings are the
# point. One libtorch thread per process (as session 5's figures).
#
# Usage: bench/instanas-compare.sh OUT_DIR SEED [SEED...]          e.g. bench/instanas-compare.sh /tmp/insta 0 1 2
#   NASCENT (default: dotnet run -c Release --project src/Nascent.Cli --) the command to run;
#   INSTANAS_ARGS (default: session 5's MNIST budget) the search's options besides --seed and --out.
set -euo pipefail
out=${1:?usage: bench/instanas-compare.sh OUT_DIR SEED [SEED...]}; shift
[ $# -gt 0 ] || { echo "give at least one seed" >&2; exit 2; }
read -r -a nascent <<< "${NASCENT:-dotnet run -c Release --project $(dirname "$0")/../src/Nascent.Cli --}"
read -r -a budget <<< "${INSTANAS_ARGS:---train-subset 12000 --pretrain-epochs 4 --epochs 4 --finetune-epochs 3 --timing-images 1000 --timing-rounds 5}"
mkdir -p "$out"
for seed in "$@"; do
  echo "seed $seed: load average before $(cut -d' ' -f1-3 /proc/loadavg)" >&2
  "${nascent[@]}" search --strategy instanas --threads 1 --quiet "${budget[@]}" --seed "$seed" --out "$out/seed-$seed"
  echo "seed $seed: load average after $(cut -d' ' -f1-3 /proc/loadavg)" | tee "$out/seed-$seed/load.txt" >&2
done
python3 - "$out" "$@" <<'PY'
import json, statistics, sys
out, seeds = sys.argv[1], sys.argv[2:]
rows, cuts, changes = [], [], []
print("| seed | network | test acc % | mean ms/image | spread ms |")
print("|---|---|---:|---:|---:|")
for s in seeds:
    r = json.load(open(f"{out}/seed-{s}/result.json"))
    for key in ("mobile_net_v2", "full", "fixed", "insta_nas"):
        f = r[key]
        print(f"| {s} | {f['name']} | {f['test_accuracy']:.2f} | {f['mean_latency_ms']:.3f} | {f['spread_ms']:.3f} |")
    m = next(c for c in r["comparisons"] if c["against"] == "mobilenetv2")
    rows.append((s, m, r["target_met"])); cuts.append(m["latency_cut_percent"]); changes.append(m["accuracy_change_points"])
print()
print("| seed | latency cut vs MobileNetV2-like % | beyond the spread | accuracy change (points) | target met |")
print("|---|---:|---|---:|---|")
for s, m, met in rows:
    print(f"| {s} | {m['latency_cut_percent']:.1f} | {'yes' if m['latency_differs'] else 'no'} | {m['accuracy_change_points']:+.2f} | {'yes' if met else 'no'} |")
sd = lambda v: statistics.stdev(v) if len(v) > 1 else 0.0
print(f"| mean ± std ({len(seeds)} seeds) | {statistics.mean(cuts):.1f} ± {sd(cuts):.1f} | | {statistics.mean(changes):+.2f} ± {sd(changes):.2f} | "
      f"{'every seed' if all(met for _, _, met in rows) else 'not in every seed'} |")
PY
