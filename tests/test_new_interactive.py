"""`aicatalog new` on a real pseudo-terminal: prompts, re-asking on bad answers, confirmation."""

from __future__ import annotations

import os
import re
import select
import subprocess
import sys
import time

import pytest
import yaml

from .helpers import AICATALOG, valid_entry

PYTORCH = valid_entry(
    name="PyTorch",
    links={"homepage": "https://pytorch.org", "repository": "https://github.com/pytorch/pytorch"},
)

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX")


class Terminal:
    """A program on the slave side of a pty; the test types and reads on the master side."""

    def __init__(self, *args: str) -> None:
        self.master, slave = os.openpty()
        env = os.environ | {"TERM": "dumb", "NO_COLOR": "1"}
        self.process = subprocess.Popen(
            [str(AICATALOG), *args],
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=env,
            start_new_session=True,
        )
        os.close(slave)
        self.seen = ""  # everything printed so far, line ends normalised
        self.cursor = 0  # where the next expect() starts looking

    def _read(self, deadline: float) -> bool:
        ready, _, _ = select.select([self.master], [], [], max(0.0, deadline - time.monotonic()))
        if not ready:
            return False
        try:
            chunk = os.read(self.master, 4096)
        except OSError:  # EIO: the program closed the terminal
            return False
        self.seen += chunk.decode("utf-8", "replace").replace("\r\n", "\n")
        return bool(chunk)

    def expect(self, pattern: str, timeout: float = 30) -> re.Match[str]:
        """Wait until `pattern` (a regex) appears in output not yet consumed."""
        deadline = time.monotonic() + timeout
        regex = re.compile(pattern)
        while True:
            match = regex.search(self.seen, self.cursor)
            if match:
                self.cursor = match.end()
                return match
            if time.monotonic() > deadline or not self._read(deadline):
                pytest.fail(f"never saw {pattern!r}; the terminal showed:\n{self.seen}")

    def type(self, text: str) -> None:
        os.write(self.master, (text + "\r").encode("utf-8"))

    def finish(self, timeout: float = 30) -> int:
        deadline = time.monotonic() + timeout
        while self._read(deadline):
            pass
        try:
            return self.process.wait(timeout=max(0.1, deadline - time.monotonic()))
        finally:
            os.close(self.master)


@pytest.fixture
def terminal():
    opened: list[Terminal] = []

    def start(*args: str) -> Terminal:
        opened.append(Terminal(*args))
        return opened[-1]

    yield start
    for t in opened:
        if t.process.poll() is None:
            t.process.kill()
            t.process.wait()


def test_prompts_ask_again_until_each_answer_is_acceptable(make_catalog, terminal):
    root = make_catalog({"pytorch": PYTORCH})
    term = terminal("new", "--catalog", str(root))
    term.expect(r"Project name, as the project writes it: ")
    term.type("pytorch")
    term.expect(r"Error: already in the catalog: entry 'pytorch' \(.*pytorch\.yml\) has this name")
    term.expect(r"Project name, as the project writes it: ")
    term.type("Lightning Fabric")
    term.expect(r"Id: lightning-fabric\n")
    term.expect(r"Homepage URL \(https://\.\.\.\): ")
    term.type("http://lightning.ai/fabric")
    term.expect(r"Error: URL must use https, not 'http'")
    term.expect(r"Homepage URL \(https://\.\.\.\): ")
    term.type("https://pytorch.org")  # another entry's homepage
    term.expect(r"Error: already in the catalog: entry 'pytorch' .* has this homepage")
    term.type("https://lightning.ai/fabric")
    term.expect(r"Source repository URL \(optional\): ")
    term.type("")
    term.expect(r"Kind \(framework, library, model, .*\) \[library\]: ")
    term.type("frame")
    term.expect(r"Error: 'frame' is not one of")
    term.type("")  # take the default
    term.expect(r"Categories:\n  deep-learning +Deep learning frameworks\n")
    term.expect(r"Main category: ")
    term.type("deep-learnin")
    term.expect(r"Error: 'deep-learnin' is not")
    term.type("training-at-scale")
    term.expect(r"Code licence, SPDX id from the LICENSE file \(optional\): ")
    term.type("BSD")
    term.expect(r"Error: 'BSD' is not an SPDX identifier \(did you mean 'BSD-3-Clause'\?\)")
    term.type("Apache-2.0")
    term.expect(r"URL of that LICENSE file \(optional\): ")
    term.type("https://github.com/Lightning-AI/pytorch-lightning/blob/HEAD/LICENSE")
    term.expect(r"One or two sentences on what it is \(optional\): ")
    term.type("Too short.")
    term.expect(r"Error: is 10 characters long; it must be at least 20")
    term.type("")  # leave it for later
    path = root / "projects" / "lightning-fabric.yml"
    term.expect(r"Write .*lightning-fabric\.yml\? \[Y/n\]: ")
    term.type("")
    term.expect(r"Created .*lightning-fabric\.yml\n")
    term.expect(r"Left to fill in:\n  .*lightning-fabric\.yml:3:14: description: ")
    assert term.finish() == 0
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert data["name"] == "Lightning Fabric"
    assert data["kind"] == "library"
    assert data["categories"] == ["training-at-scale"]
    assert data["links"] == {"homepage": "https://lightning.ai/fabric"}
    assert data["license"] == {
        "code": "Apache-2.0",
        "source": "https://github.com/Lightning-AI/pytorch-lightning/blob/HEAD/LICENSE",
    }
    assert data["description"] == ""


def test_bad_options_are_reasked_and_declining_writes_nothing(make_catalog, terminal):
    root = make_catalog({"pytorch": PYTORCH})
    term = terminal(
        "new", "--catalog", str(root), "--name", "Keras", "--homepage", "https://keras.io",
        "--kind", "library", "--category", "nope", "--description",
        "A high-level deep learning API that runs on top of several backends.",
    )  # fmt: skip
    term.expect(r"error: --category: unknown category 'nope'")
    # Answers given as options are not asked again; the refused one is.
    term.expect(r"Id: keras\n")
    term.expect(r"Source repository URL \(optional\): ")
    term.type("https://github.com/keras-team/keras")
    term.expect(r"Main category: ")
    assert "Homepage URL" not in term.seen
    assert "Kind" not in term.seen
    term.type("deep-learning")
    term.expect(r"Code licence.*: ")
    term.type("Apache-2.0")
    term.expect(r"URL of that LICENSE file \(optional\): ")
    term.type("")
    term.expect(r"Write .*keras\.yml\? \[Y/n\]: ")
    term.type("n")
    term.expect(r"Nothing written\.")
    assert term.finish() == 1
    assert sorted(p.name for p in (root / "projects").iterdir()) == ["pytorch.yml"]


def test_a_name_without_a_usable_id_asks_for_one(make_catalog, terminal):
    root = make_catalog({})
    term = terminal("new", "--catalog", str(root), "--homepage", "https://wenxin.example.cn")
    term.expect(r"Project name, as the project writes it: ")
    term.type("文心")
    term.expect(r"The name gives no usable id")
    term.expect(r"Id for the file name \(lowercase-with-hyphens\): ")
    term.type("Wen Xin")
    term.expect(r"Error: id 'Wen Xin' is not valid")
    term.type("wenxin")
    term.expect(r"Id: wenxin\n")
    term.expect(r"Source repository URL \(optional\): ")
    term.type("")
    term.expect(r"Kind .*: ")
    term.type("model")
    term.expect(r"Main category: ")
    term.type("language-models")
    term.expect(r"Code licence.*: ")
    term.type("")
    term.expect(r"One or two sentences.*: ")
    term.type("")
    term.expect(r"Write .*wenxin\.yml\? \[Y/n\]: ")
    term.type("y")
    term.expect(r"license\.weights: licence of the weights")
    assert term.finish() == 0
    data = yaml.safe_load((root / "projects" / "wenxin.yml").read_text(encoding="utf-8"))
    assert data["name"] == "文心"
