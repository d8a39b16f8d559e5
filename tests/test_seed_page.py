"""The page this project started from, labelled by the default model trained on data/ alone."""

from __future__ import annotations

import pytest
from conftest import SEED_PAGE

import newsclf


@pytest.mark.skipif(not SEED_PAGE.exists(), reason="../shared/seeds is not available")
def test_seed_page_main_article_and_teaser(default_models_dir):
    clf = newsclf.load(default_models_dir)
    main, teaser = clf.classify_page(SEED_PAGE.read_text(encoding="utf-8"), id="seed")
    # Russian air defence moving to Libya, with US pressure on Haftar.
    assert "military" in main.labels
    assert {"regional_conflict", "diplomacy"} & set(main.labels)
    # "Read also": Putin receives the Sultan of Oman, a Russia-Arab summit.
    assert teaser.parent_id == "seed" and teaser.primary == "diplomacy"
