"""A paper in another language than the site's is marked so (``lang``) on its page and in the listings, so that a
screen reader reads it with that language's sounds (WCAG 2.2, 3.1.2); an English paper never is."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from site_fixtures import CONTENT, LISTING_PAPERS, listing_paper, listing_project

from generator.language import language_of, paper_language

GERMAN = ("Über die Robustheit neuronaler Netze",
          "Tiefe neuronale Netze erreichen auf Standard-Benchmarks hohe Genauigkeit, sind aber gegenüber "
          "Verteilungsverschiebungen anfällig. Wir untersuchen, wie sich die Genauigkeit unter natürlichen "
          "Verschiebungen verändert, und zeigen, dass die Daten wichtiger sind als die Architektur.")
FRENCH = ("Apprentissage auto-supervisé pour la reconnaissance de la parole",
          "Nous présentons une étude de l'apprentissage auto-supervisé pour la reconnaissance de la parole en "
          "français. Les résultats montrent que les modèles multilingues sont plus robustes que les modèles "
          "monolingues dans la plupart des cas.")
SPANISH = ("Modelos de lenguaje para el español",
           "Presentamos un conjunto de modelos de lenguaje entrenados para el español. Los resultados muestran que "
           "nuestro modelo supera a los modelos multilingües en la mayoría de las tareas.")
CHINESE = ("大语言模型的数学推理", "大型语言模型在数学推理任务上仍然容易出错，我们构建了一个新的基准来衡量这一问题。")
JAPANESE = ("大規模言語モデルの推論", "大規模言語モデルの推論能力を向上させる新しい手法を提案する。実験により有効性を示した。")
KOREAN = ("확산 모델", "우리는 확산 모델을 이용한 새로운 이미지 생성 방법을 제안하고 실험으로 그 효과를 보인다.")
RUSSIAN = ("Обучение языковых моделей", "Мы предлагаем новый метод обучения больших языковых моделей и показываем его эффективность.")


@pytest.mark.parametrize(
    ("paper", "code"),
    [(GERMAN, "de"), (FRENCH, "fr"), (SPANISH, "es"), (CHINESE, "zh"), (JAPANESE, "ja"), (KOREAN, "ko"), (RUSSIAN, "ru")],
)
def test_a_paper_in_another_language_is_told_by_its_text(paper: tuple[str, str], code: str) -> None:
    assert paper_language(*paper) == code


def test_no_bundled_paper_is_taken_for_another_language() -> None:
    """Every bundled paper is English, with LaTeX, Greek letters, names and words like "la" or "de" among others."""
    from generator.ingest import ingest_content

    papers = ingest_content(CONTENT).papers
    assert len(papers) > 400
    assert [p.title for p in papers if paper_language(p.title, p.abstract)] == []


@pytest.mark.parametrize(
    "text",
    ["We show that β-VAE with α and γ learns disentangled factors of the data.",
     "Der Vogel: we study la forêt and the de la madre effect on birds of the forest and the trees in the park.",
     "AstroM$^3$: a model of the sky", ""],
)
def test_english_text_with_foreign_words_or_symbols_is_not_marked(text: str) -> None:
    assert language_of(text) in (None, "en")


def test_the_paper_page_and_the_listing_rows_mark_the_language(tmp_path: Path) -> None:
    from generator.site.build import Project, build_site

    arabic_title = "التعرف على الكلام في الضوضاء"
    papers = [*LISTING_PAPERS, listing_paper(GERMAN[0], GERMAN[1]), listing_paper(arabic_title, "An English abstract about speech.")]
    papers[-2]["abstract"] = GERMAN[1]
    site = build_site(Project.at(listing_project(tmp_path / "p", papers))).site_dir
    german = next(site.glob("papers/uber-die-robustheit*/index.html")).read_text(encoding="utf-8")
    assert re.search(r'<h1 class="pc-title" dir="auto" lang="de">', german)
    assert '<p class="pc-abstract" lang="de">' in german
    english = next(site.glob("papers/sparse-attention*/index.html")).read_text(encoding="utf-8")
    assert ' lang="' not in english.split("<body", 1)[1]
    pages = [p.read_text(encoding="utf-8") for p in site.glob("papers/*/index.html")]
    text = next(t for t in pages if f">{arabic_title}</h1>" in t)  # its own page (others list it as related)
    assert f'<h1 class="pc-title" dir="auto" lang="ar">{arabic_title}</h1>' in text and '<p class="pc-abstract">' in text
    home = (site / "index.html").read_text(encoding="utf-8")
    assert re.search(r'class="pc-row-title" href="[^"]+" dir="auto" lang="de">', home)
    assert '<p class="pc-snippet" lang="de">' in home
