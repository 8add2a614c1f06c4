"""Good PDFs once refused as "rusak" (issue 14), the normalized file that is stored, and the
hostile files the more lenient rules must still refuse with the same messages.

Runs without Django: ``python -m pytest -p no:django --noconftest`` and this file.
"""

import hashlib

import pikepdf
import pytest

from tests.core import pdf_causes as causes
from tests.core import pdf_corpus as corpus
from verifikasi.core.pdfcheck import (
    MESSAGES,
    WARNING_CROP_BOX,
    WARNING_LEADING_DATA,
    WARNING_NO_EOF,
    WARNING_RESTRICTIONS,
    WARNING_SIGNED,
    WARNING_TRAILING_DATA,
    PdfRejected,
    check_pdf,
    render_page_png,
)


def normalize(path, tmp_path):
    """check_pdf with a normalized copy: (result, normalized path)."""
    out = tmp_path / f"normalized-{path.name}"
    return check_pdf(path, normalized_path=out), out


def assert_refused(path, code, tmp_path):
    out = tmp_path / "normalized-refused.pdf"
    with pytest.raises(PdfRejected) as caught:
        check_pdf(path, normalized_path=out)
    assert (caught.value.code, caught.value.message) == (code, MESSAGES[code]), caught.value.detail
    assert not out.exists()


def assert_clean_pdf(path, *, pages):
    """Opens without a single warning from qpdf, starts with %PDF-, ends with %%EOF."""
    data = path.read_bytes()
    assert data.startswith(b"%PDF-")
    assert data.rstrip().endswith(b"%%EOF")
    with pikepdf.open(path) as pdf:
        assert len(pdf.pages) == pages
        assert pdf.get_warnings() == []
        assert not pdf.is_encrypted


# The causes found in the field: each accepted, each stored as a clean PDF


def test_it_accepts_a_stream_whose_length_is_an_indirect_object(tmp_path):
    result, out = normalize(causes.indirect_length_pdf(tmp_path), tmp_path)

    assert (result.page_count, result.repaired, result.warnings) == (1, False, [])
    assert_clean_pdf(out, pages=1)
    with pikepdf.open(out) as pdf:
        assert b"NIB 1234567890123" in pdf.pages[0].Contents.read_bytes()


def test_it_accepts_null_objects_and_free_entries(tmp_path):
    result, out = normalize(causes.null_objects_pdf(tmp_path), tmp_path)

    assert (result.page_count, result.repaired, result.warnings) == (1, False, [])
    assert_clean_pdf(out, pages=1)


def test_it_accepts_a_pdf_without_eof_and_marks_it_repaired(tmp_path):
    source = causes.no_eof_pdf(tmp_path)
    assert b"%%EOF" not in source.read_bytes()

    result, out = normalize(source, tmp_path)

    assert result.repaired is True
    assert result.warnings == [WARNING_NO_EOF]
    assert_clean_pdf(out, pages=1)


@pytest.mark.parametrize("box", [
    (-50, -50, 700, 900),  # a little past the paper on every side
    (0, 0, 14400, 14400),  # 200 inches: was refused as an oversized page
    (1000, 1000, 2000, 2000),  # off the paper: PDFium refused to render it
    (700, 0, 600, 842),  # corners reversed and half off the paper
])  # fmt: skip
def test_it_clamps_a_crop_box_larger_than_the_paper_and_marks_it_repaired(tmp_path, box):
    result, out = normalize(causes.crop_box_past_media_box_pdf(tmp_path, box), tmp_path)

    assert (result.repaired, result.warnings) == (True, [WARNING_CROP_BOX])
    assert_clean_pdf(out, pages=1)
    with pikepdf.open(out) as pdf:
        x0, y0, x1, y1 = (float(v) for v in pdf.pages[0].cropbox)
        mx0, my0, mx1, my1 = (float(v) for v in pdf.pages[0].mediabox)
    assert mx0 <= x0 < x1 <= mx1 and my0 <= y0 < y1 <= my1
    render_page_png(out, tmp_path / "page.png", page_index=0, width_px=300)


def test_it_accepts_usage_rights_whose_transform_parameters_name_ef(tmp_path):
    result, out = normalize(causes.usage_rights_pdf(tmp_path), tmp_path)

    assert (result.page_count, result.repaired, result.warnings) == (1, False, [])
    assert_clean_pdf(out, pages=1)


def test_it_stores_an_html_polyglot_as_the_pdf_alone_and_marks_it_repaired(tmp_path):
    source = causes.html_polyglot_pdf(tmp_path)
    original = hashlib.sha256(source.read_bytes()).hexdigest()

    result, out = normalize(source, tmp_path)

    assert (result.page_count, result.repaired) == (2, True)
    assert result.warnings == [WARNING_LEADING_DATA]
    assert_clean_pdf(out, pages=2)
    assert b"<html" not in out.read_bytes() and b"<script" not in out.read_bytes()
    assert hashlib.sha256(source.read_bytes()).hexdigest() == original  # the upload untouched


def test_it_accepts_an_autoprint_open_action(tmp_path):
    result, out = normalize(causes.autoprint_pdf(tmp_path), tmp_path)

    assert (result.repaired, result.warnings) == (False, [])
    assert_clean_pdf(out, pages=1)


def test_it_accepts_a_print_action_with_a_js_entry_that_no_viewer_runs(tmp_path):
    result, out = normalize(causes.print_action_with_stray_js_pdf(tmp_path), tmp_path)

    assert (result.repaired, result.warnings) == (False, [])


def test_it_refuses_a_script_whose_action_type_is_missing(tmp_path):
    def change(pdf):
        pdf.Root.OpenAction = pikepdf.Dictionary(JS=pikepdf.String("app.alert(5)"))

    assert_refused(corpus._edit(tmp_path, "js-without-s.pdf", change), "javascript", tmp_path)


def test_an_action_type_that_is_not_a_name_counts_as_none(tmp_path):
    # A dictionary where the name belongs: was a TypeError (unhashable), refused as corrupt.
    objects = causes._one_page(causes._TEXT)
    objects[1] = b"<< /Type /Catalog /Pages 2 0 R /OpenAction << /S << /X 1 >> /N /Print >> >>"
    result, _out = normalize(causes.write_raw_pdf(tmp_path / "s-dict.pdf", objects), tmp_path)
    assert result.page_count == 1

    objects[1] = b"<< /Type /Catalog /Pages 2 0 R /OpenAction << /S [/X] /JS (app.alert(7)) >> >>"
    assert_refused(causes.write_raw_pdf(tmp_path / "s-array-js.pdf", objects), "javascript",
                   tmp_path)


def test_it_accepts_web_links_page_links_and_an_empty_attachment_list(tmp_path):
    result, out = normalize(causes.harmless_actions_pdf(tmp_path), tmp_path)

    assert (result.repaired, result.warnings) == (False, [])


def test_it_drops_data_after_the_end_and_marks_it_repaired(tmp_path):
    result, out = normalize(causes.trailing_data_pdf(tmp_path), tmp_path)

    assert result.repaired is True
    assert WARNING_TRAILING_DATA in result.warnings
    assert_clean_pdf(out, pages=1)
    assert b"PK\x03\x04" not in out.read_bytes()


def test_it_drops_an_unreachable_leftover_script_instead_of_refusing(tmp_path):
    source = causes.unreachable_javascript_pdf(tmp_path)

    result, out = normalize(source, tmp_path)

    assert result.page_count == 1
    assert b"JavaScript" in source.read_bytes()
    assert b"JavaScript" not in out.read_bytes()


def test_it_folds_an_incremental_update_into_one_revision(tmp_path):
    source = causes.incremental_update_pdf(tmp_path)
    assert source.read_bytes().count(b"%%EOF") == 2

    result, out = normalize(source, tmp_path)

    assert (result.repaired, result.warnings) == (False, [])
    assert out.read_bytes().count(b"%%EOF") == 1
    with pikepdf.open(out) as pdf:
        assert str(pdf.docinfo["/Title"]) == "Akta diubah"


def test_it_stores_a_pdf_with_only_an_owner_password_without_encryption(tmp_path):
    result, out = normalize(corpus.owner_password_pdf(tmp_path), tmp_path)

    assert (result.owner_password_only, result.warnings) == (True, [WARNING_RESTRICTIONS])
    assert_clean_pdf(out, pages=2)


def test_it_tells_the_verifier_that_a_signature_cannot_be_checked_on_the_stored_copy(tmp_path):
    result, out = normalize(causes.signed_pdf(tmp_path), tmp_path)

    assert (result.repaired, result.warnings) == (False, [WARNING_SIGNED])
    assert_clean_pdf(out, pages=1)


def test_it_marks_a_rebuilt_xref_table_in_the_stored_file_as_repaired(tmp_path):
    result, out = normalize(corpus.damaged_xref_pdf(tmp_path), tmp_path)

    assert result.repaired is True
    assert_clean_pdf(out, pages=2)


# Several producers: accepted as they are, nothing marked


@pytest.mark.parametrize("make", [
    lambda f: corpus.plain_pdf(f, pages=3),
    lambda f: causes.photo_scan_pdf(f, pages=3),
    lambda f: causes.pillow_pdf(f, pages=3),
    lambda f: causes.qpdf_rewrite(corpus.plain_pdf(f, pages=3), "objstm.pdf",
                                  object_stream_mode=pikepdf.ObjectStreamMode.generate),
    lambda f: causes.qpdf_rewrite(corpus.plain_pdf(f, pages=3), "qdf.pdf", qdf=True),
    lambda f: causes.qpdf_rewrite(causes.photo_scan_pdf(f, pages=3), "linearized.pdf",
                                  linearize=True),
], ids=["reportlab", "img2pdf", "pillow", "qpdf-object-streams", "qpdf-qdf", "qpdf-linearized"])
def test_it_accepts_what_common_producers_write(tmp_path, make):
    result, out = normalize(make(tmp_path), tmp_path)

    assert (result.page_count, result.repaired, result.warnings) == (3, False, [])
    assert_clean_pdf(out, pages=3)


# Hostile files: still refused, with the same messages


def test_it_refuses_a_link_that_opens_another_pdf_file(tmp_path):
    assert_refused(causes.goto_remote_pdf(tmp_path), "opens_file", tmp_path)


def test_it_refuses_a_link_into_an_embedded_pdf(tmp_path):
    assert_refused(causes.goto_embedded_pdf(tmp_path), "opens_file", tmp_path)


def test_it_refuses_javascript_chained_behind_a_bookmark(tmp_path):
    assert_refused(causes.javascript_on_bookmark_pdf(tmp_path), "javascript", tmp_path)


def test_it_refuses_an_xfa_form_whose_template_runs_a_script(tmp_path):
    assert_refused(causes.xfa_form_pdf(tmp_path, script=True), "javascript", tmp_path)


def test_it_accepts_an_xfa_form_without_scripts(tmp_path):
    result, _out = normalize(causes.xfa_form_pdf(tmp_path, script=False), tmp_path)

    assert (result.repaired, result.warnings) == (False, [])


def test_it_accepts_a_page_whose_user_unit_is_not_a_number(tmp_path):
    def change(pdf):
        pdf.pages[0].obj.UserUnit = pikepdf.Name("/Besar")

    result, _out = normalize(corpus._edit(tmp_path, "user-unit-name.pdf", change), tmp_path)

    assert result.page_count == 1


def test_it_refuses_a_page_made_huge_by_its_user_unit(tmp_path):
    def change(pdf):
        pdf.pages[0].obj.UserUnit = 10

    assert_refused(corpus._edit(tmp_path, "user-unit-10.pdf", change), "page_too_large", tmp_path)


def test_it_refuses_a_linearized_pdf_cut_in_half(tmp_path):
    assert_refused(causes.truncated_linearized_pdf(tmp_path), "corrupt", tmp_path)


def test_it_refuses_a_pdf_cut_in_half(tmp_path):
    assert_refused(corpus.truncated_pdf(tmp_path), "corrupt", tmp_path)


HOSTILE = {
    "javascript": (corpus.javascript_pdf, "javascript"),
    "javascript-names": (corpus.javascript_in_names_tree_pdf, "javascript"),
    "javascript-aa": (corpus.javascript_in_page_aa_pdf, "javascript"),
    "launch": (corpus.launch_pdf, "launch"),
    "gotor": (causes.goto_remote_pdf, "opens_file"),
    "embedded-file": (corpus.embedded_file_pdf, "embedded_files"),
    "file-attachment": (corpus.file_attachment_annotation_pdf, "embedded_files"),
    "user-password": (corpus.user_password_pdf, "encrypted"),
    "page-200in": (lambda f: corpus.huge_page_pdf(f, width_inches=200), "page_too_large"),
    "inflate-bomb": (lambda f: corpus.inflate_bomb_pdf(f, megabytes=60), "inflate_bomb"),
}


@pytest.mark.parametrize("name", list(HOSTILE))
def test_a_hostile_file_is_refused_also_when_rewritten_with_indirect_lengths(tmp_path, name):
    make, code = HOSTILE[name]
    source = make(tmp_path)
    if code != "encrypted":  # qpdf cannot rewrite what it cannot open
        source = causes.qpdf_rewrite(source, f"qdf-{source.name}", qdf=True,
                                     stream_decode_level=pikepdf.StreamDecodeLevel.none)

    assert_refused(source, code, tmp_path)


@pytest.mark.parametrize("name", ["javascript", "launch", "embedded-file"])
def test_a_hostile_file_behind_html_is_refused_too(tmp_path, name):
    make, code = HOSTILE[name]
    source = make(tmp_path)
    polyglot = tmp_path / f"html-{source.name}"
    polyglot.write_bytes(b"<html><body>x</body></html>\n" + source.read_bytes())

    assert_refused(polyglot, code, tmp_path)


def test_an_embedded_file_is_refused_even_next_to_usage_rights(tmp_path):
    with pikepdf.open(causes.usage_rights_pdf(tmp_path)) as pdf:
        pdf.attachments["faktur.exe"] = pikepdf.AttachedFileSpec(pdf, b"MZ")
        pdf.save(tmp_path / "rights-and-file.pdf")

    assert_refused(tmp_path / "rights-and-file.pdf", "embedded_files", tmp_path)
