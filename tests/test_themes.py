"""Themes: every shipped theme (and a host's own folder) renders every public page,
in the normal and the visually-impaired mode, with no third-party resources."""

from __future__ import annotations

import importlib.util
import re
import shutil
from pathlib import Path

import pytest

from mentoring_site.config import ConfigError
from mentoring_site.theming import load_theme, shipped_themes_folder
from tests.browser import section_pages
from tests.conftest import make_app

# One worker (xdist group): one seeded copy for the module.
pytestmark = pytest.mark.xdist_group("themes")

PREFIX = "/nastavnichestvo"
THEMES = ["default", "contrast", "plain"]
THEMES_DIR = Path(__file__).resolve().parent.parent / "themes"
VI_LARGEST = "v1.size-4.scheme-wb.images-off.spacing-3.line-3.font-serif"


@pytest.fixture(scope="module")
def seeded_copy(_templates, tmp_path_factory):
    """One copy of the seeded SQLite database and uploads for the whole module."""
    template = _templates("sqlite", True)
    folder = tmp_path_factory.mktemp("themes")
    shutil.copyfile(template.source, folder / "db.sqlite")
    shutil.copytree(template.uploads, folder / "uploads")
    return folder


def _static(client, name: str) -> tuple[int, bytes]:
    with client.get(PREFIX + "/static/" + name) as response:
        return response.status_code, response.get_data()


def _app(folder: Path, theme: str, **config):
    return make_app(f"sqlite:///{folder / 'db.sqlite'}", folder, MENTORING_THEME=theme, **config)


def test_the_shipped_themes_are_there_with_a_readme():
    folder = shipped_themes_folder()
    shipped = sorted(p.name for p in folder.iterdir() if (p / "static").is_dir())
    assert set(THEMES) <= set(shipped)
    for name in THEMES:
        readme = (THEMES_DIR / name / "README.md").read_text(encoding="utf-8")
        assert f"`{name}`" in readme
        assert re.search(r"screenshot|снимок", readme, re.I), name
        chain = load_theme(name).chain
        assert any((t.static / "mentoring.css").is_file() for t in chain), name


@pytest.mark.parametrize("theme", THEMES)
def test_no_third_party_resources_and_no_script(theme):
    for path in (THEMES_DIR / theme).rglob("*"):
        if path.suffix not in (".css", ".html"):
            continue
        text = path.read_text(encoding="utf-8")
        assert "<script" not in text, path
        assert not re.search(r"@import|url\(\s*['\"]?(https?:)?//", text), path
        assert not re.search(r"(src|href)=\"(https?:)?//", text), path


@pytest.mark.parametrize("theme", THEMES)
def test_every_public_page_renders_in_every_theme(seeded_copy, theme):
    app = _app(seeded_copy, theme)
    client = app.test_client()
    pages = section_pages(client, PREFIX, also=(PREFIX + "/dlya-slabovidyashchih/",))
    assert {"mentoring.index", "mentoring.documents", "mentoring.case", "mentoring.person",
            "mentoring.news_item", "mentoring.program", "mentoring.accessibility"} <= set(
        pages.values()
    )
    own = next(t.static / "mentoring.css" for t in load_theme(theme).chain
               if (t.static / "mentoring.css").is_file())
    assert _static(client, "mentoring.css") == (200, own.read_bytes())
    chrome = theme != "plain"  # the plain theme's page has no classes of its own
    for path in pages:
        html = client.get(path).get_data(as_text=True)
        assert html.startswith("<!doctype html>"), path
        assert ('<body class="mentoring-site">' in html) is chrome, path
        assert html.count("<h1") == 1, path
    # the visually-impaired mode at its largest, every page again
    client.set_cookie("mentoring_vi", VI_LARGEST, path=PREFIX + "/")
    for path in pages:
        response = client.get(path)
        assert response.status_code == 200, path
        html = response.get_data(as_text=True)
        assert "m-vi--size-4" in html and "mentoring-vi.css" in html, path
    assert _static(client, "mentoring-vi.css")[0] == 200
    app.extensions["mentoring"].engine.dispose()


def test_a_host_theme_folder_overrides_only_what_it_ships(seeded_copy, tmp_path):
    folder = tmp_path / "school-theme"
    (folder / "static").mkdir(parents=True)
    (folder / "static" / "mentoring.css").write_text(".mentoring { color: #123; }\n")
    app = _app(seeded_copy, str(folder))
    client = app.test_client()
    assert _static(client, "mentoring.css") == (200, b".mentoring { color: #123; }\n")
    # templates and the VI stylesheet fall back to the package's own
    assert client.get(PREFIX + "/").status_code == 200
    assert _static(client, "mentoring-vi.css")[0] == 200
    app.extensions["mentoring"].engine.dispose()


def test_a_changed_stylesheet_gets_a_new_address(seeded_copy, tmp_path, monkeypatch):
    """A stylesheet's address carries its content hash, so under that address it never
    changes (``immutable``, a year); without the hash it is kept a week. (The replay of
    cached pages looks at the files at most once a second: here at every request.)"""
    from mentoring_site.cache import wsgi

    monkeypatch.setattr(wsgi, "LINKED_RECHECK_SECONDS", 0.0)
    folder = tmp_path / "school-theme"
    (folder / "static").mkdir(parents=True)
    css = folder / "static" / "mentoring.css"
    css.write_text(".mentoring { color: #123; }\n")
    app = _app(seeded_copy, str(folder))
    client = app.test_client()

    def link() -> str:
        html = client.get(PREFIX + "/").get_data(as_text=True)
        return re.search(r'href="([^"]*/static/mentoring\.css\?v=[0-9a-f]{12})"', html)[1]

    first = link()
    assert link() == first
    with client.get(first) as response:
        assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    with client.get(first.split("?")[0]) as response:
        assert response.headers["Cache-Control"] == "public, max-age=604800"
    css.write_text(".mentoring { color: #321; font-size: 1em; }\n")
    assert link() != first
    with client.get(first) as response:  # the old hash: the file is no longer that
        assert response.headers["Cache-Control"] == "public, max-age=604800"
    app.extensions["mentoring"].engine.dispose()


def test_contrast_is_default_recoloured(seeded_copy):
    """«contrast» extends «default»: default's layout and stylesheet, then its theme.css,
    whose palette redefines every colour default declares."""
    theme = load_theme("contrast")
    assert [t.name for t in theme.chain] == ["contrast", "default"]
    default_css = (THEMES_DIR / "default" / "static" / "mentoring.css").read_text()
    palette = set(re.findall(r"(--m-[a-z-]+):", default_css))
    assert len(palette) > 20
    assert palette == set(re.findall(r"(--m-[a-z-]+):", (theme.static / "theme.css").read_text()))
    used = set(re.findall(r"var\((--m-[a-z-]+)\)", default_css))
    assert used == palette  # no colour left outside the palette, none declared for nothing
    app = _app(seeded_copy, "contrast")
    client = app.test_client()
    html = client.get(PREFIX + "/").get_data(as_text=True)
    links = re.findall(r'<link rel="stylesheet" href="([^"]+)"', html)
    assert [re.sub(r"\?.*", "", u).rsplit("/", 1)[1] for u in links][:2] == [
        "mentoring.css", "theme.css"]
    assert _static(client, "mentoring.css")[1] == default_css.encode()
    assert 'class="mentoring-site' in html  # default's full page
    app.extensions["mentoring"].engine.dispose()
    # the default theme links no theme.css
    app = _app(seeded_copy, "default")
    assert "theme.css" not in app.test_client().get(PREFIX + "/").get_data(as_text=True)
    app.extensions["mentoring"].engine.dispose()


def test_a_host_theme_extends_a_shipped_one(seeded_copy, tmp_path):
    folder = tmp_path / "school-colours"
    (folder / "static").mkdir(parents=True)
    (folder / "theme.toml").write_text('extends = "default"\n')
    (folder / "static" / "theme.css").write_text(".mentoring { --m-brand: #6a1b9a; }\n")
    app = _app(seeded_copy, str(folder))
    client = app.test_client()
    html = client.get(PREFIX + "/").get_data(as_text=True)
    assert "/static/theme.css?v=" in html and "/static/mentoring.css?v=" in html
    assert _static(client, "theme.css") == (200, b".mentoring { --m-brand: #6a1b9a; }\n")
    assert b"--m-brand: #1f3a5f" in _static(client, "mentoring.css")[1]
    app.extensions["mentoring"].engine.dispose()


@pytest.mark.parametrize("toml, message", [
    ('extends = "nет-такой"', "не найдена"),
    ("extends = 5", "названием темы"),
    ("extends = [", "не читается"),
    ("SELF", "по кругу"),
])
def test_a_bad_theme_toml_is_refused_with_a_russian_message(tmp_path, toml, message):
    folder = tmp_path / "broken"
    (folder / "static").mkdir(parents=True)
    (folder / "theme.toml").write_text(
        f"extends = {str(folder)!r}".replace("'", '"') if toml == "SELF" else toml)
    with pytest.raises(ConfigError, match=message):
        load_theme(str(folder))


@pytest.mark.parametrize("theme", THEMES)
def test_the_screenshot_script_finds_its_pages(seeded_copy, theme):
    """scripts/screenshots.py (the pictures once taken by the browser tests) still finds a
    home page, a list and a case to picture in every theme, and they answer 200."""
    script = Path(__file__).resolve().parent.parent / "scripts" / "screenshots.py"
    spec = importlib.util.spec_from_file_location("screenshots_script", script)
    screenshots = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(screenshots)
    assert theme in screenshots.THEMES
    client = _app(seeded_copy, theme).test_client()
    shots = screenshots.plan(client)
    assert set(shots) == {"home", "list", "case"}
    for path in shots.values():
        assert client.get(path).status_code == 200, path
