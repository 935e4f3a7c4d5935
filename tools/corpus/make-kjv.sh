#!/usr/bin/env bash
# Writes data/kjv/kjv-genesis-proverbs-ecclesiastes.txt, the language-model job's corpus: the books of Genesis,
# Proverbs and Ecclesiastes of the King James Version (1611; public domain), as printed by the `bible` command of
# Debian's bible-kjv package (text from bible-kjv-text: "the copyright for the King James Version text of the Bible
# is expired"). One verse per line, without chapter headings or verse numbers. Needs `apt-get install bible-kjv`.
set -euo pipefail
out="$(dirname "$0")/../../data/kjv/kjv-genesis-proverbs-ecclesiastes.txt"
mkdir -p "$(dirname "$out")"
for book in Genesis Proverbs Ecclesiastes; do
  bible -l100000 "$book 1:1-150:176"
done | sed -n 's/^ *[0-9]\+ //p' > "$out"
wc -c "$out"
