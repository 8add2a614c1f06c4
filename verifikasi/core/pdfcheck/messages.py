"""What the upload checks tell people: refusal messages for the vendor, notes for the verifier.

No imports beyond the standard library: the checking child process loads this too.
"""

from __future__ import annotations

from dataclasses import dataclass

#: One message per refusal code, in Indonesian: what is wrong and what the vendor can do.
MESSAGES: dict[str, str] = {
    "empty": "Berkas kosong (0 byte). Unggah ulang berkasnya; bila tetap kosong, simpan ulang "
    "dokumen dari aplikasi asalnya.",
    "too_big": "Ukuran berkas melebihi batas yang diizinkan. Kecilkan ukuran PDF (misalnya pindai "
    "ulang dengan resolusi 150–200 dpi atau kompres PDF-nya), lalu unggah lagi.",
    "not_pdf": "Berkas ini bukan PDF, walaupun namanya berakhiran .pdf. Simpan atau ekspor dokumen "
    "sebagai PDF; bila berupa foto, unggah sebagai foto.",
    "corrupt": "PDF rusak atau tidak lengkap (mungkin terpotong saat diunduh atau diunggah) "
    "sehingga tidak dapat dibaca. Pastikan berkas terbuka utuh di perangkat Anda, simpan ulang "
    "sebagai PDF, lalu unggah lagi.",
    "encrypted": "PDF dilindungi kata sandi — simpan ulang tanpa kata sandi, lalu unggah lagi.",
    "no_pages": "PDF tidak berisi satu halaman pun. Simpan ulang dokumen sebagai PDF, lalu unggah "
    "lagi.",
    "too_many_pages": "Jumlah halaman PDF melebihi batas. Unggah hanya halaman yang diminta untuk "
    "dokumen ini.",
    "javascript": "PDF berisi JavaScript, yang tidak diizinkan demi keamanan. Cetak ulang dokumen "
    "ke PDF (menu Cetak → Simpan sebagai PDF), lalu unggah hasilnya.",
    "launch": "PDF berisi perintah untuk menjalankan program lain (aksi Launch), yang tidak "
    "diizinkan demi keamanan. Cetak ulang dokumen ke PDF (menu Cetak → Simpan sebagai PDF), lalu "
    "unggah hasilnya.",
    "opens_file": "PDF berisi perintah untuk membuka berkas lain (aksi GoToR, GoToE, atau "
    "ImportData), yang tidak diizinkan demi keamanan. Cetak ulang dokumen ke PDF (menu Cetak → "
    "Simpan sebagai PDF), lalu unggah hasilnya.",
    "embedded_files": "PDF berisi lampiran berkas di dalamnya, yang tidak diizinkan. Hapus "
    "lampirannya atau cetak ulang dokumen ke PDF, lalu unggah hasilnya.",
    "page_too_large": "Ukuran halaman PDF tidak wajar (terlalu besar). Simpan ulang dokumen dengan "
    "ukuran kertas biasa, misalnya A4 atau F4, lalu unggah lagi.",
    "inflate_bomb": "PDF berisi data yang membengkak sangat besar saat dibuka, sehingga tidak "
    "dapat diproses dengan aman. Cetak ulang dokumen ke PDF (menu Cetak → Simpan sebagai PDF), "
    "lalu unggah hasilnya.",
    "render_failed": "Halaman PDF tidak dapat ditampilkan. Pastikan semua halaman tampil benar di "
    "perangkat Anda, simpan ulang sebagai PDF, lalu unggah lagi.",
    "timeout": "PDF terlalu lama diproses karena terlalu rumit. Sederhanakan dokumen (misalnya "
    "pindai ulang, atau cetak ulang ke PDF), lalu unggah lagi.",
    "not_image": "Berkas ini bukan foto yang dapat dibaca. Gunakan foto JPEG, PNG, atau HEIC dari "
    "kamera ponsel, atau unggah dokumen dalam bentuk PDF.",
    "image_too_large": "Resolusi foto terlalu besar untuk diproses. Ambil ulang foto dengan "
    "resolusi kamera biasa (misalnya 12 MP), lalu unggah lagi.",
}

# Notes for the verifier on an accepted file. Every note but the last two is a repair: the stored
# (normalized) file differs from the upload in a way that could matter, so the document is
# marked "diperbaiki" and the verifier checks every page against what the vendor meant.
WARNING_REPAIRED_XREF = "PDF diperbaiki otomatis (tabel xref rusak)"
WARNING_REPAIRED_OTHER = "PDF diperbaiki otomatis (struktur berkas rusak ringan)"
WARNING_NO_EOF = (
    "PDF diperbaiki otomatis (penanda akhir berkas %%EOF tidak ada; mungkin berkas tidak utuh)"
)
WARNING_LEADING_DATA = "PDF diperbaiki otomatis (ada data lain sebelum awal PDF; sudah dibuang)"
WARNING_TRAILING_DATA = "PDF diperbaiki otomatis (ada data lain setelah akhir PDF; sudah dibuang)"
WARNING_CROP_BOX = (
    "PDF diperbaiki otomatis (batas tampilan halaman melewati ukuran kertas; disesuaikan seperti "
    "pada aplikasi pembaca PDF)"
)
WARNING_SIGNED = (
    "PDF asli bertanda tangan elektronik; tanda tangan itu tidak dapat diperiksa pada salinan "
    "yang tersimpan. Bila perlu memeriksanya, minta berkas asli dari Pelaku Usaha"
)
WARNING_RESTRICTIONS = (
    "PDF memiliki kata sandi pemilik (pembatasan cetak/salin); dapat dibuka tanpa kata sandi"
)


@dataclass(frozen=True)
class PdfCheckResult:
    """An accepted PDF: what the verifier should know about it."""

    page_count: int
    repaired: bool
    warnings: list[str]  # Indonesian notes for the verifier
    owner_password_only: bool


class PdfRejected(Exception):  # noqa: N818 - a refusal, not an error of ours
    """The file is refused; ``message`` (Indonesian) says why and how to fix it.

    ``detail`` is a technical note in English for logs, never shown to the vendor.
    """

    def __init__(self, code: str, detail: str = "") -> None:
        self.code = code
        self.message = MESSAGES[code]
        self.detail = detail
        super().__init__(f"{code}: {detail}" if detail else code)
