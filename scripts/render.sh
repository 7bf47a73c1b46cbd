#!/usr/bin/env bash
# Prints hrgk workbooks the way an office would, and measures the result.
#
#   scripts/render.sh OUTDIR FILE.xlsx…
#
# For each workbook: LibreOffice converts it to PDF (as printed on A4 with the page
# setup stored in the file), pdftoppm renders every page as a PNG at 50 dpi, and
# pdftotext -bbox measures each word's box: the height (yMax − yMin, in points) is
# about 1.28 times the printed font size, and a word of Han characters is exactly its
# font size wide per character. One line per workbook: pages, smallest and median font
# size, the page where the smallest text is, and the smallest size on every page.
#
# Needs: python3, soffice (libreoffice-calc-nogui), pdftoppm and pdftotext (poppler-utils),
# fonts-noto-cjk. Not part of CI: run it by hand (Debian:
#   apt-get install -y libreoffice-calc-nogui poppler-utils fonts-noto-cjk).
set -euo pipefail
if [ $# -lt 2 ]; then
  echo "用法：scripts/render.sh 输出目录 工作簿.xlsx…" >&2
  exit 2
fi
out=$1; shift
# Printed font size of a word of Han characters = its width / its characters (each is
# 1 em wide); the box height (yMax − yMin) is about 1.28 × the font size with the Noto
# CJK fonts. Per page: the smallest size; per workbook: the smallest and the median.
measure='
import re, statistics, sys
pages = sys.stdin.read().split("<page ")[1:]
mins, allsizes, heights = [], [], []
for p in pages:
    sizes = []
    for x0, y0, x1, y1, w in re.findall(r"xMin=\"([\d.]+)\" yMin=\"([\d.]+)\" xMax=\"([\d.]+)\" yMax=\"([\d.]+)\">([^<]*)<", p):
        heights.append(float(y1) - float(y0))
        if w and all("\u4e00" <= c <= "\u9fff" for c in w):
            sizes.append((float(x1) - float(x0)) / len(w))
    mins.append(min(sizes) if sizes else 0)
    allsizes += sizes
small = min((m for m in mins if m), default=0)
print(f"{sys.argv[1]}: {len(pages)} 页，最小字号 {small:.1f} pt（第 {mins.index(small) + 1} 页），中位 {statistics.median(allsizes or [0]):.1f} pt，最小框高 {min(heights or [0]):.1f} pt；各页最小字号：" + " ".join(f"{m:.1f}" for m in mins))
'

mkdir -p "$out"
for x in "$@"; do
  base=$(basename "${x%.*}")
  soffice --headless --convert-to pdf --outdir "$out" "$x" >/dev/null 2>&1
  pdf="$out/$base.pdf"
  [ -f "$pdf" ] || { echo "$x: 转换失败" >&2; continue; }
  pdftoppm -png -r 50 "$pdf" "$out/$base"
  pdftotext -bbox "$pdf" - | python3 -c "$measure" "$base"
done
