#!/usr/bin/env python3
"""Builds the seed corpora fuzz/corpus/<target>/ from real exports.

Usage: python3 fuzz/seed_corpus.py [SHARED_CORPUS]   (default: ../shared/corpus beside the repo,
or /work/shared/corpus). Reads the repository's samples/ and tests/fixtures/ as well. Files over
64 KiB are left out so that libFuzzer's inferred -max_len stays small. Re-running replaces the
seeds (files named seed-*) and keeps whatever the fuzzer has added to the corpus.
"""

import csv
import hashlib
import io
import json
import pathlib
import re
import sys
import urllib.parse
import xml.sax.saxutils
import zipfile

FUZZ = pathlib.Path(__file__).resolve().parent
REPO = FUZZ.parent
MAX = 64 * 1024


def shared_corpus():
    if len(sys.argv) > 1:
        return pathlib.Path(sys.argv[1])
    for candidate in (REPO.parent / "shared" / "corpus", pathlib.Path("/work/shared/corpus")):
        if candidate.is_dir():
            return candidate
    sys.exit("no shared corpus found; pass its path")


def files(root, patterns):
    out = []
    for pattern in patterns:
        out.extend(p for p in sorted(root.glob(pattern)) if p.is_file())
    return out


class Corpus:
    def __init__(self, target):
        self.dir = FUZZ / "corpus" / target
        self.dir.mkdir(parents=True, exist_ok=True)
        for old in self.dir.glob("seed-*"):
            old.unlink()
        self.count = 0

    def add(self, data):
        if isinstance(data, str):
            data = data.encode("utf-8")
        if not data or len(data) > MAX:
            return
        name = "seed-" + hashlib.sha1(data).hexdigest()
        (self.dir / name).write_bytes(data)
        self.count += 1


def sheet_xml(csv_text):
    """A worksheet holding the CSV's cells as inline strings; timestamps also as date cells."""
    rows = []
    for r, record in enumerate(csv.reader(io.StringIO(csv_text)), start=1):
        cells = []
        for c, value in enumerate(record):
            ref = column(c) + str(r)
            if value in ("true", "false", "TRUE", "FALSE"):
                cells.append(f'<c r="{ref}" t="b"><v>{int(value.lower() == "true")}</v></c>')
            elif len(value) >= 19 and value[4] == "-" and value[10] in "T ":
                # Excel re-saves timestamps as serial dates with a date style.
                cells.append(f'<c r="{ref}" s="1"><v>45000.5</v></c>')
            else:
                escaped = xml.sax.saxutils.escape(value)
                cells.append(f'<c r="{ref}" t="inlineStr"><is><t>{escaped}</t></is></c>')
        rows.append(f'<row r="{r}">{"".join(cells)}</row>')
    return (
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f'<sheetData>{"".join(rows)}</sheetData></worksheet>'
    )


def shared_strings_sheet(csv_text):
    """The same cells through the shared strings table (the form Excel writes)."""
    strings, index, rows = [], {}, []
    for r, record in enumerate(csv.reader(io.StringIO(csv_text)), start=1):
        cells = []
        for c, value in enumerate(record):
            if value not in index:
                index[value] = len(strings)
                strings.append(value)
            cells.append(f'<c r="{column(c)}{r}" t="s"><v>{index[value]}</v></c>')
        rows.append(f'<row r="{r}">{"".join(cells)}</row>')
    sst = "".join(f"<si><t>{xml.sax.saxutils.escape(s)}</t></si>" for s in strings)
    return (
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f'<sheetData>{"".join(rows)}</sheetData></worksheet>'
        f'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">{sst}</sst>'
    )


def column(c):
    name = ""
    c += 1
    while c:
        c, rem = divmod(c - 1, 26)
        name = chr(65 + rem) + name
    return name


def stored_xlsx(sheet_and_strings):
    """A real .xlsx (stored, so the fuzzer can mutate the XML inside the archive)."""
    split = sheet_and_strings.find("<sst")
    sheet, strings = (sheet_and_strings, "") if split < 0 else (
        sheet_and_strings[:split], sheet_and_strings[split:])
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rels = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as z:
        z.writestr("[Content_Types].xml",
                   '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                   '<Default Extension="xml" ContentType="application/xml"/></Types>')
        z.writestr("_rels/.rels",
                   '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                   f'<Relationship Id="rId1" Type="{rels}/officeDocument" Target="xl/workbook.xml"/>'
                   '</Relationships>')
        z.writestr("xl/workbook.xml",
                   f'<workbook xmlns="{main}" xmlns:r="{rels}"><sheets>'
                   '<sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>')
        z.writestr("xl/_rels/workbook.xml.rels",
                   '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                   f'<Relationship Id="rId1" Type="{rels}/worksheet" Target="worksheets/sheet1.xml"/>'
                   f'<Relationship Id="rId2" Type="{rels}/sharedStrings" Target="sharedStrings.xml"/>'
                   '</Relationships>')
        z.writestr("xl/worksheets/sheet1.xml", sheet)
        if strings:
            z.writestr("xl/sharedStrings.xml", strings)
    return buf.getvalue()


def main():
    shared = shared_corpus()

    # credential_report: CSVs, JSON wrappers, worksheets (bare XML and whole .xlsx).
    cred = Corpus("credential_report")
    csvs = files(shared, ["credential-reports/extracted/*.csv"]) + files(
        REPO, ["tests/fixtures/**/*.csv", "samples/**/*.csv"])
    for path in csvs:
        text = path.read_text(encoding="utf-8-sig")
        cred.add(path.read_bytes())
        cred.add(sheet_xml(text))
        both = shared_strings_sheet(text)
        cred.add(both)
        cred.add(stored_xlsx(both))
    for path in files(shared, ["credential-reports/*.json"]) + files(
            REPO, ["tests/fixtures/**/credential*.json", "tests/fixtures/reports/*.json",
                   "samples/**/credential*.json"]):
        cred.add(path.read_bytes())

    # authorization_details: whole exports of every shape, and the raw-API recordings.
    authz = Corpus("authorization_details")
    for path in files(shared, ["authorization-details/*.json",
                               "authorization-details/raw-api-url-encoded/*.json"]) + files(
            REPO, ["tests/fixtures/authz/**/*.json", "tests/fixtures/checks/**/authorization*.json",
                   "tests/fixtures/policy_checks/**/*.json", "samples/**/authorization*/*.json",
                   "samples/**/authorization*.json"]):
        authz.add(path.read_bytes())

    # policy_document: every 10th AWS-managed policy's Document, as an object, as JSON text
    # (the harness also takes the input as a string value) and URL-encoded.
    pol = Corpus("policy_document")
    managed = sorted((shared / "policies" / "zoph-io__MAMIP__policies").glob("*.json"))
    for n, path in enumerate(managed[::10]):
        try:
            document = json.loads(path.read_text())["PolicyVersion"]["Document"]
        except (ValueError, KeyError, TypeError):
            continue
        compact = json.dumps(document, separators=(",", ":"))
        pol.add(json.dumps(document, indent=4))
        if n % 3 == 0:
            pol.add(urllib.parse.quote(compact, safe=""))
            pol.add(json.dumps(compact))
    for path in files(REPO, ["tests/fixtures/policy_checks/seeds/*.json"]):
        pol.add(path.read_bytes())
    # The raw API's URL-encoded documents, as recorded.
    for path in files(shared, ["authorization-details/raw-api-url-encoded/*.json"]):
        for encoded in re.findall(r'"(%7B[^"]*)"', path.read_text()):
            pol.add(encoded)

    for corpus in (cred, authz, pol):
        print(f"{corpus.dir.relative_to(REPO)}: {corpus.count} seeds")


if __name__ == "__main__":
    main()
