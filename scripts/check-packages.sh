#!/usr/bin/env bash
# Packs the Nascent library and the nascent dotnet tool, installs the tool from the local folder into a temporary tool
# path (as a user would: dotnet tool install), checks that the installed libLibTorchSharp.so carries the load fix
# (GLIBCXX_3.4.32 weak) and runs the installed tool: --help and a tabular search on a table written here.
set -euo pipefail
cd "$(dirname "$0")/.."
for tool in unzip readelf; do
  command -v "$tool" >/dev/null || { echo "packages: $tool is needed (apt-get install unzip binutils)"; exit 1; }
done
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

dotnet pack -c Release src/Nascent -o "$work/packages" -v quiet -nologo
dotnet pack -c Release src/Nascent.Cli -o "$work/packages" -v quiet -nologo
version=$(sed -n 's:.*<Version>\(.*\)</Version>.*:\1:p' Directory.Build.props)
for package in Nascent Nascent.Cli; do
  file="$work/packages/$package.$version.nupkg"
  [ -f "$file" ] || { echo "packages: $file was not made"; exit 1; }
done
unzip -l "$work/packages/Nascent.$version.nupkg" > "$work/library-files.txt"
grep -q 'buildTransitive/Nascent.targets' "$work/library-files.txt" \
  || { echo "packages: the library package lacks buildTransitive/Nascent.targets"; exit 1; }

start=$(date +%s%N)
dotnet tool install --tool-path "$work/tool" --add-source "$work/packages" Nascent.Cli --version "$version" >/dev/null
milliseconds=$(( ($(date +%s%N) - start) / 1000000 ))
library=$(find "$work/tool" -name libLibTorchSharp.so | head -n 1)
readelf -V "$library" > "$work/versions.txt"
grep -q 'Name: GLIBCXX_3.4.32  Flags: WEAK' "$work/versions.txt" \
  || { echo "packages: GLIBCXX_3.4.32 is not weak in the installed $library"; exit 1; }

"$work/tool/nascent" --help > "$work/help.txt"
grep -q 'search' "$work/help.txt" || { echo "packages: nascent --help printed no commands"; exit 1; }
# Every NAS-Bench-201 cell (the base-5 digits of its index are its six edge operations), scored by how many edges
# are 3x3 convolutions, so the best cell is known: all six.
awk 'BEGIN {
  split("none skip_connect nor_conv_1x1 nor_conv_3x3 avg_pool_3x3", op, " ");
  print "arch,score";
  for (code = 0; code < 15625; code++) {
    c = code; for (i = 6; i >= 1; i--) { d[i] = c % 5; c = int(c / 5) }
    s = 0; for (i = 1; i <= 6; i++) if (d[i] == 3) s++;
    printf "|%s~0|+|%s~0|%s~1|+|%s~0|%s~1|%s~2|,%d\n", op[d[1]+1], op[d[2]+1], op[d[3]+1], op[d[4]+1], op[d[5]+1], op[d[6]+1], s
  }
}' > "$work/table.csv"
"$work/tool/nascent" search --table "$work/table.csv" --objective score --strategy rea --queries 1500 --seed 1 \
  --quiet --out "$work/run" > "$work/search.txt"
grep -q '"val_acc": 6' "$work/run/result.json" \
  || { echo "packages: the installed tool's search did not find the all-3x3 cell:"; cat "$work/search.txt"; exit 1; }
# A library consumer: a portable (no runtime identifier) console program that references the Nascent package and runs
# a tensor operation; it loads libLibTorchSharp.so only if the package's buildTransitive targets fixed its copy.
mkdir -p "$work/consumer"
cat > "$work/consumer/nuget.config" <<XML
<configuration><packageSources><add key="nascent-check" value="$work/packages" /></packageSources></configuration>
XML
cat > "$work/consumer/consumer.csproj" <<XML
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup><OutputType>Exe</OutputType><TargetFramework>net10.0</TargetFramework><ImplicitUsings>enable</ImplicitUsings></PropertyGroup>
  <ItemGroup><PackageReference Include="Nascent" Version="$version" /></ItemGroup>
</Project>
XML
cat > "$work/consumer/Program.cs" <<'CS'
var cell = Nascent.Spaces.Nb201Space.Instance.Create([3, 3, 3, 3, 3, 3]);
using var sum = TorchSharp.torch.ones(3).sum();
Console.WriteLine($"{cell} {sum.item<float>()}");
CS
# The package cache must not hold an older build of this version.
rm -rf "$(dotnet nuget locals global-packages --list | sed 's/^global-packages: //')nascent/$version"
dotnet run --project "$work/consumer" > "$work/consumer.txt" 2>&1 \
  || { echo "packages: a program referencing the Nascent package failed:"; tail -n 5 "$work/consumer.txt"; exit 1; }
grep -q ' 3$' "$work/consumer.txt" || { echo "packages: the consumer printed:"; cat "$work/consumer.txt"; exit 1; }

size=$(du -m "$work/packages/Nascent.Cli.$version.nupkg" | cut -f1)
echo "packages: Nascent and Nascent.Cli $version packed; tool package ${size} MB, installed in ${milliseconds} ms; GLIBCXX_3.4.32 weak; tabular search found the best cell; a program referencing the library package runs"
