#!/usr/bin/env bash
# Regenerates the pictures of docs/workbook.md from the code, so they never drift from it.
#
# Audits samples/2025-Q2 as the quarterly routine does (with an engagement, the Q1 results as
# baseline and samples/exceptions.csv), then for every sheet the workbook has (whatever sheets
# it has; the cover lists them):
#   docs/img/print-SHEET.png   the sheet's first printed page: LibreOffice prints the workbook
#                              to PDF as it is (its own print setup), pdftoppm renders the page.
#   docs/img/screen-SHEET.png  the sheet as on screen: the same workbook with every sheet set to
#                              print at 100% with gridlines and row and column headings (what a
#                              spreadsheet window shows), its first page cropped to the top
#                              left (about one screen).
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
  --baseline "$work/q1.jsonl" --exceptions samples/exceptions.csv \
  --client "Acme Corp" --period "2025-04-01 to 2025-06-30" --prepared-by "J. Doe"

# The screen copy: every sheet at 100%, not fitted, with gridlines and headings.
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
            xml = xml.replace("<pageMargins", '<printOptions headings="1" gridLines="1"/><pageMargins', 1)
            data = xml.encode("utf-8")
        zout.writestr(item, data)
PY

profile="file://$PWD/$work/profile"
soffice "-env:UserInstallation=$profile" --headless --convert-to pdf --outdir "$work" \
  "$work/q2.xlsx" "$work/screen.xlsx" >/dev/null 2>&1

# The first page of each sheet: the footer's last line reads "SHEET Page X of N".
first_pages() {
  local pdf=$1 pages page sheet seen=""
  pages=$(pdfinfo "$pdf" | awk '/^Pages:/ {print $2}')
  for ((page = 1; page <= pages; page++)); do
    sheet=$(pdftotext -f "$page" -l "$page" -layout "$pdf" - |
      grep -E ' Page [0-9]+ of [0-9]+ *$' | tail -n 1 |
      sed -E 's/^ *//; s/ +Page [0-9]+ of [0-9]+ *$//')
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
  # 96 dpi: one pixel a screen pixel at 100%; the top left 960 x 480 below the page header.
  pdftoppm -png -r 96 -f "$page" -l "$page" -singlefile -x 50 -y 60 -W 960 -H 480 \
    "$work/screen.pdf" "docs/img/screen-$slug"
  echo "docs/img/screen-$slug.png: $sheet, page $page"
done
