"""Words the national-scale seed (scale_seed.py) builds its companies and people from.

Indonesian business names repeat a small vocabulary ("Maju Jaya", "Karya Mandiri"), so a
search for one word matches many companies, as it does in a real office's queue.
"""

# (legal form prefix, BusinessForm value, weight out of 100)
FORMS = [
    ("CV", "cv", 38), ("PT", "pt", 30), ("PT", "pt_perorangan", 8), ("UD", "perorangan", 9),
    ("Koperasi", "koperasi", 4), ("Firma", "firma", 2), ("", "konsultan_perorangan", 6),
    ("Yayasan", "yayasan", 3),
]

WORDS = [
    "Maju", "Jaya", "Karya", "Mandiri", "Sejahtera", "Abadi", "Bersama", "Sentosa", "Makmur",
    "Utama", "Nusantara", "Borneo", "Khatulistiwa", "Cahaya", "Mulia", "Berkah", "Putra",
    "Putri", "Sinar", "Harapan", "Bangun", "Perkasa", "Prima", "Mitra", "Teknik", "Konstruksi",
    "Sarana", "Persada", "Gemilang", "Lestari", "Indah", "Agung", "Barokah", "Amanah",
    "Kencana", "Permata", "Samudra", "Rimba", "Kapuas", "Pawan", "Mahakam", "Barito",
    "Anugerah", "Bintang", "Tunggal", "Perdana", "Raya", "Setia", "Sakti", "Wijaya",
    "Pratama", "Cemerlang", "Graha", "Bumi", "Tirta", "Energi", "Solusi", "Digital",
    "Rekayasa", "Pembangunan", "Niaga", "Logistik", "Medika", "Pangan", "Tani", "Sawit",
]

FIRST_NAMES = [
    "Budi", "Siti", "Agus", "Dewi", "Hendra", "Rina", "Ahmad", "Nur", "Yanti", "Joko",
    "Sri", "Rudi", "Wati", "Andi", "Fitri", "Dedi", "Lina", "Bambang", "Ratna", "Heru",
    "Yusuf", "Maria", "Stefanus", "Lukas", "Fransiska", "Abdul", "Rahmat", "Ayu", "Eko",
    "Indra", "Sutrisno", "Hasan", "Kartini", "Irwan", "Novi", "Taufik", "Melati", "Dayang",
]

LAST_NAMES = [
    "Santoso", "Aminah", "Wijaya", "Lestari", "Saputra", "Hidayat", "Kurniawan", "Siregar",
    "Nasution", "Simanjuntak", "Pratama", "Setiawan", "Gunawan", "Halim", "Tan", "Lim",
    "Syahputra", "Rahman", "Wibowo", "Susanto", "Sembiring", "Hutapea", "Manurung",
    "Effendi", "Harahap", "Purba", "Sitompul", "Usman", "Iskandar", "Fauzi",
]

MAIL_DOMAINS = ["gmail.com", "yahoo.co.id", "yahoo.com", "outlook.com", "ymail.com",
                "hotmail.com", "gmail.com", "gmail.com"]

# (4-digit region code known to python-stdnum, province, regency, postal code prefix)
REGIONS = [
    ("6104", "Kalimantan Barat", "Kabupaten Ketapang", "788"),
    ("6171", "Kalimantan Barat", "Kota Pontianak", "781"),
    ("6101", "Kalimantan Barat", "Kabupaten Sambas", "794"),
    ("6172", "Kalimantan Barat", "Kota Singkawang", "791"),
    ("6471", "Kalimantan Timur", "Kota Balikpapan", "761"),
    ("6371", "Kalimantan Selatan", "Kota Banjarmasin", "701"),
    ("6271", "Kalimantan Tengah", "Kota Palangka Raya", "731"),
    ("3171", "DKI Jakarta", "Kota Jakarta Pusat", "101"),
    ("3273", "Jawa Barat", "Kota Bandung", "401"),
    ("3578", "Jawa Timur", "Kota Surabaya", "601"),
    ("3374", "Jawa Tengah", "Kota Semarang", "501"),
    ("1271", "Sumatera Utara", "Kota Medan", "201"),
    ("7371", "Sulawesi Selatan", "Kota Makassar", "901"),
    ("5171", "Bali", "Kota Denpasar", "802"),
]

STREETS = ["Jl. Jenderal Sudirman", "Jl. Ahmad Yani", "Jl. Gajah Mada", "Jl. Diponegoro",
           "Jl. Merdeka", "Jl. Pattimura", "Jl. Imam Bonjol", "Jl. Veteran", "Jl. Tanjungpura",
           "Jl. Khatulistiwa"]
