#!/usr/bin/env bash
# Regenerates the pictures of docs/workbook.md from the code, so they never drift from it.
#
# Audits samples/2025-Q2 as the quarterly routine does (with an engagement, the Q1 results as
# baseline, samples/exceptions.csv and a framework's Controls sheet), then for every sheet the workbook has (whatever sheets
# it has; the cover lists them):
#   docs/img/print-SHEET.png   the sheet's first printed page: LibreOffice prints the workbook
#                              to PDF as it is (its own print setup), pdftoppm renders the page.
#   docs/img/screen-SHEET.png  the sheet as on screen: the same workbook with every sheet set to
#                              print at 100% on A3 landscape with gridlines and row and column
#                              headings (what a spreadsheet window shows), its first page
#                              cropped to the top left (about one wide screen).
# SHEET is the sheet name in lower case with spaces as dashes.
#
# Needs: cargo, LibreOffice (soffice), poppler-utils (pdftotext, pdftoppm), python3.
# Usage: scripts/workbook-pictures.sh   (from anywhere; writes into docs/img/)
set -euo pipefail
cd "$(dirname "$0")/.."
for tool in soffice pdftotext pdftoppm python3; do
  command -v "$tool" >/dev/null || { echo "$0: $tool is not on PATH" >&2; exit 1; }
done

# Under target/ (ignored by git), relative, so the cover's command line reads the same anywhere.
work=target/workbook-pictures
rm -rf "$work"
mkdir -p "$work"
cargo build --quiet --release
bin=target/release/iam-evidence
"$bin" audit samples/2025-Q1 -o "$work/q1.xlsx" --results "$work/q1.jsonl" --quiet
"$bin" audit samples/2025-Q2 -o "$work/q2.xlsx" --quiet \
  --baseline "$work/q1.jsonl" --exceptions samples/exceptions.csv --framework pci-dss-4.0.1 \
  --client "Acme Corp" --period "2025-04-01 to 2025-06-30" --prepared-by "J. Doe"

# The screen copy: every sheet at 100%, not fitted, on A3 (paper size 8) with narrow margins,
# with gridlines and headings.
python3 - "$work/q2.xlsx" "$work/screen.xlsx" <<'PY'
import re, sys, zipfile
src, dst = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
    for item in zin.infolist():
        data = zin.read(item.filename)
        if re.fullmatch(r"xl/worksheets/sheet\d+\.xml", item.filename):
            xml = data.decode("utf-8")
            xml = xml.replace('<pageSetUpPr fitToPage="1"/>', "")
            xml = re.sub(r'<pageSetup scale="\d+"', "<pageSetup", xml)
            xml = xml.replace("<pageSetup", '<pageSetup paperSize="8"', 1)
            xml = re.sub(r'<pageMargins [^>]*/>',
                         '<printOptions headings="1" gridLines="1"/><pageMargins left="0.3" '
                         'right="0.3" top="0.5" bottom="0.5" header="0.2" footer="0.2"/>', xml, count=1)
            data = xml.encode("utf-8")
        zout.writestr(item, data)
PY

profile="file://$PWD/$work/profile"
soffice "-env:UserInstallation=$profile" --headless --convert-to pdf --outdir "$work" \
  "$work/q2.xlsx" "$work/screen.xlsx" >/dev/null 2>&1

# The first page of each sheet. The footer reads "SHEET ... Page X of N": the sheet name is the
# words on the left half of the page at exactly the height of the lowest word "Page" (a chart
# may reach down beside it, but not at the footer's exact height).
first_pages() {
  local pdf=$1 pages page sheet seen=""
  pages=$(pdfinfo "$pdf" | awk '/^Pages:/ {print $2}')
  for ((page = 1; page <= pages; page++)); do
    sheet=$(pdftotext -f "$page" -l "$page" -bbox "$pdf" - | awk -F'"' '
      /<word / { n++; x[n] = $2; y[n] = $4; t[n] = $0; sub(/.*">/, "", t[n]); sub(/<\/word>.*/, "", t[n]) }
      END {
        for (i = 1; i <= n; i++) if (t[i] == "Page" && y[i] + 0 > foot + 0) foot = y[i]
        for (i = 1; i <= n; i++) if (y[i] == foot && x[i] + 0 < 396) line = line (line ? " " : "") t[i]
        gsub(/&amp;/, "\\&", line); print line
      }')
    if [[ -n $sheet && $seen != *"|$sheet|"* ]]; then
      seen+="|$sheet|"
      printf '%s\t%s\n' "$page" "$sheet"
    fi
  done
}

rm -f docs/img/print-*.png docs/img/screen-*.png
first_pages "$work/q2.pdf" | while IFS=$'\t' read -r page sheet; do
  slug=$(echo "$sheet" | tr 'A-Z ' 'a-z-')
  pdftoppm -png -r 60 -f "$page" -l "$page" -singlefile "$work/q2.pdf" "docs/img/print-$slug"
  echo "docs/img/print-$slug.png: $sheet, page $page"
done
first_pages "$work/screen.pdf" | while IFS=$'\t' read -r page sheet; do
  slug=$(echo "$sheet" | tr 'A-Z ' 'a-z-')
  # 96 dpi: one pixel a screen pixel at 100%; the top left 1400 x 560 below the page header.
  pdftoppm -png -r 96 -f "$page" -l "$page" -singlefile -x 24 -y 44 -W 1400 -H 560 \
    "$work/screen.pdf" "docs/img/screen-$slug"
  echo "docs/img/screen-$slug.png: $sheet, page $page"
done
