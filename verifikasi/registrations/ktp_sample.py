"""KTP-like card images for the OCR tests, bench/ocr_rate.py and the demo (issue 20).

Rendered with Pillow in DejaVu (Debian's fonts-dejavu-core, which scripts/test and
scripts/demo install when missing; without it Pillow's own font): the layout of an e-KTP
(province and regency heading, "NIK : …" in a larger type, the labelled fields, a photo
box), then spoiled the way phone photos are: turned a few degrees, blurred,
JPEG-compressed hard. No real person's data: the names are made up, the NIKs generated.
"""

import io
import random
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter, ImageFont

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
REGULAR = FONT_DIR / "DejaVuSans.ttf"
BOLD = FONT_DIR / "DejaVuSans-Bold.ttf"

CARD_PX = (1012, 638)  # 85.6 × 54 mm at 300 dpi
VARIANTS = ("plain", "rotated", "blurred", "jpeg")

NAMES = ["BUDI SANTOSO", "SITI AMINAH", "AGUS PRASETYO", "DEWI LESTARI", "RINA WATI",
         "HENDRA GUNAWAN", "YULIANA PUTRI", "ANDI SAPUTRA"]
REGIONS = [("6104", "KALIMANTAN BARAT", "KABUPATEN KETAPANG"),
           ("6171", "KALIMANTAN BARAT", "KOTA PONTIANAK"),
           ("3171", "DKI JAKARTA", "JAKARTA PUSAT"),
           ("3273", "JAWA BARAT", "KOTA BANDUNG")]


def fonts_available() -> bool:
    return REGULAR.exists() and BOLD.exists()


def sample_nik(rng: random.Random) -> tuple[str, tuple[str, str, str]]:
    """A NIK with a region the project's check knows and a real birth date."""
    region = rng.choice(REGIONS)
    day = rng.randint(1, 28) + (40 if rng.random() < 0.5 else 0)
    nik = (f"{region[0]}{rng.randint(1, 20):02d}{day:02d}{rng.randint(1, 12):02d}"
           f"{rng.randint(60, 99):02d}{rng.randint(1, 9999):04d}")
    return nik, region


def font(path: Path, size: int):
    if path.exists():
        return ImageFont.truetype(str(path), size)
    return ImageFont.load_default(size=size)


def ktp_image(nik: str, *, name: str = "BUDI SANTOSO",
              region: tuple[str, str, str] = REGIONS[0]) -> Image.Image:
    """A clean KTP-like card: light blue background, black print."""
    card = Image.new("RGB", CARD_PX, (196, 222, 240))
    draw = ImageDraw.Draw(card)
    heading = font(BOLD, 30)
    big = font(BOLD, 38)
    text = font(REGULAR, 24)
    _, province, regency = region
    for y, line in ((18, f"PROVINSI {province}"), (56, regency)):
        width = draw.textlength(line, font=heading)
        draw.text(((CARD_PX[0] - width) / 2, y), line, font=heading, fill="black")
    draw.text((30, 112), "NIK", font=big, fill="black")
    draw.text((130, 112), f": {nik}", font=big, fill="black")
    fields = [("Nama", name), ("Tempat/Tgl Lahir", "KETAPANG, 12-01-1990"),
              ("Jenis Kelamin", "LAKI-LAKI"), ("Alamat", "JL. MERDEKA NO. 1"),
              ("Agama", "ISLAM"), ("Status Perkawinan", "KAWIN"),
              ("Pekerjaan", "WIRASWASTA"), ("Kewarganegaraan", "WNI"),
              ("Berlaku Hingga", "SEUMUR HIDUP")]
    for row, (label, value) in enumerate(fields):
        y = 176 + row * 46
        draw.text((30, y), label, font=text, fill="black")
        draw.text((270, y), f": {value}", font=text, fill="black")
    draw.rectangle((790, 150, 975, 400), fill=(220, 60, 60), outline="black")
    return card


def card_jpeg(card: Image.Image, quality: int = 90) -> bytes:
    out = io.BytesIO()
    card.save(out, "JPEG", quality=quality)
    return out.getvalue()


def spoil(card: Image.Image, variant: str, rng: random.Random) -> bytes:
    """The card as a phone photo would bring it: JPEG bytes."""
    quality = 90
    if variant == "rotated":
        card = card.rotate(rng.uniform(2.0, 4.0) * rng.choice((-1, 1)), expand=True,
                           resample=Image.Resampling.BICUBIC, fillcolor=(250, 250, 250))
    elif variant == "blurred":
        card = card.filter(ImageFilter.GaussianBlur(radius=rng.uniform(1.2, 1.8)))
    elif variant == "jpeg":
        quality = rng.randint(12, 20)
    elif variant != "plain":
        raise ValueError(variant)
    return card_jpeg(card, quality)


def ktp_photo(variant: str = "plain", *, seed: int = 1) -> tuple[str, bytes]:
    """(NIK printed on it, JPEG bytes) of one generated KTP photo."""
    rng = random.Random(f"{variant}-{seed}")
    nik, region = sample_nik(rng)
    return nik, spoil(ktp_image(nik, name=rng.choice(NAMES), region=region), variant, rng)
