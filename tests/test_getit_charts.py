"""'Get it' commands and build-time charts: what a reader copies and what a chart says."""

from __future__ import annotations

import re

from aicatalog.charts import Series, bar_chart, describe, share_rows
from aicatalog.getit import get_items


def test_each_registry_gives_its_command_and_page():
    items = get_items(
        {
            "huggingface": "meta-llama/Llama-3.1-8B",
            "pypi": "vllm",
            "docker": "vllm/vllm-openai",
            "crates": "candle-core",
            "conda_forge": "pytorch",
        },
        kind="model",
    )
    assert [i.field for i in items] == ["pypi", "conda_forge", "crates", "docker", "huggingface"]
    commands = {i.field: i.command for i in items}
    assert commands["pypi"] == "pip install vllm"
    assert commands["docker"] == "docker pull vllm/vllm-openai"
    assert commands["huggingface"] == "huggingface-cli download meta-llama/Llama-3.1-8B"
    urls = {i.field: i.url for i in items}
    assert urls["docker"] == "https://hub.docker.com/r/vllm/vllm-openai"
    assert urls["crates"] == "https://crates.io/crates/candle-core"
    assert urls["pypi"] is None  # no package-index host named in this repository


def test_datasets_load_with_the_datasets_library_and_images_link_their_registry():
    (item,) = get_items({"huggingface": "HuggingFaceFW/fineweb"}, kind="dataset")
    assert item.command == 'load_dataset("HuggingFaceFW/fineweb")'
    assert item.url == "https://huggingface.co/datasets/HuggingFaceFW/fineweb"
    (official,) = get_items({"docker": "ollama"}, kind="tool")
    assert official.url == "https://hub.docker.com/_/ollama"
    (ghcr,) = get_items({"docker": "ghcr.io/acme/server"}, kind="tool")
    assert ghcr.url == "https://github.com/acme/server/pkgs/container/server"


def test_a_chart_has_a_text_alternative_and_a_data_table():
    series = Series(
        "kinds", "Entries by kind", "Entries of each kind.", (("Model", 3), ("Tool", 0))
    )
    html = str(bar_chart(series))
    assert '<desc id="kinds-d">Entries of each kind. Model: 3; Tool: 0.</desc>' in html
    assert 'aria-labelledby="kinds-t kinds-d"' in html
    assert "<tr><td>Model</td><td>3</td></tr>" in html
    widths = [int(w) for w in re.findall(r'width="(\d+)" height="18"', html)]
    assert widths[0] > 0
    assert widths[1] == 0


def test_chart_text_is_escaped():
    html = str(bar_chart(Series("x", "<b>T</b>", "S<script>", (("<img src=x>", 1),))))
    assert "<script>" not in html
    assert "<img" not in html
    assert "&lt;img src=x&gt;" in html


def test_empty_series_and_shares():
    assert describe(Series("e", "T", "Nothing.", ())) == "Nothing. No data yet."
    assert share_rows([("2024", 1, 4), ("2025", 0, 0)]) == (("2024", 25),)
