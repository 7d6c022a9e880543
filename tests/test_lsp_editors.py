"""The README's language server snippets, run for real: Neovim's built-in client headless,
Emacs eglot when the installed Emacs has it, and the commands the Helix and VS Code
settings start (those editors do not run headless here)."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("pygls", reason="the lsp extra (pygls) is not installed")

from tests.conftest import checkout_env, citelint_command  # noqa: E402
from tests.lspclient import Client  # noqa: E402
from tests.test_integrations import snippet  # noqa: E402
from tests.test_server import REPORT  # noqa: E402

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

# A name that needs quoting, with a non-ASCII letter; the report has astral characters
# before a finding, so the client's columns are checked too.
NAME = "ferry ü.md"


def expected(cwd: Path) -> list[str]:
    """'CODE|line|the 7 characters at the finding's column', from citelint's own output."""
    proc = subprocess.run(citelint_command("-q", NAME), cwd=cwd, env=checkout_env(), capture_output=True, text=True)
    lines = (cwd / NAME).read_text(encoding="utf-8").split("\n")
    out = []
    for row in proc.stdout.splitlines():
        _, ln, col, rest = row.split(":", 3)
        code = rest.split()[0]
        out.append(f"{code}|{ln}|{lines[int(ln) - 1][int(col) - 1 : int(col) + 6]}")
    return sorted(out)


@pytest.fixture()
def report(tmp_path: Path) -> Path:
    (tmp_path / NAME).write_text(REPORT, encoding="utf-8")
    return tmp_path


NVIM_CHECK = """
if vim.lsp.start == nil then
  -- Neovim 0.7 (Debian 12) has no vim.lsp.start (0.8+): the same from the older calls.
  vim.lsp.start = function(config)
    local id = vim.lsp.start_client(config)
    vim.lsp.buf_attach_client(0, id)
    return id
  end
end
local ok, err = pcall(function()
  vim.opt.runtimepath:append(vim.fn.getcwd() .. "/config/after")
  vim.cmd("filetype plugin on")
  vim.cmd("edit " .. vim.fn.fnameescape(os.getenv("REPORT")))
  vim.wait(60000, function() return #vim.diagnostic.get(0) > 0 end, 50)
  local out = {}
  for _, d in ipairs(vim.diagnostic.get(0)) do
    local code = d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code) or "?"
    local line = vim.api.nvim_buf_get_lines(0, d.lnum, d.lnum + 1, false)[1]
    -- d.col is a byte column: Neovim converted the server's UTF-16 position.
    table.insert(out, string.format("%s|%d|%s", code, d.lnum + 1, vim.fn.strcharpart(string.sub(line, d.col + 1), 0, 7)))
  end
  table.sort(out)
  vim.fn.writefile(out, "diagnostics.txt")
end)
if not ok then vim.fn.writefile({ "error: " .. tostring(err) }, "diagnostics.txt") end
vim.cmd("qa!")
"""


def test_neovim_builtin_client_receives_the_diagnostics(report: Path) -> None:
    nvim = shutil.which("nvim")
    if nvim is None:
        pytest.skip("neovim is not installed (apt-get install neovim)")
    plugin = report / "config" / "after" / "ftplugin" / "markdown.lua"
    plugin.parent.mkdir(parents=True)
    plugin.write_text(snippet("neovim-lsp"), encoding="utf-8")
    (report / "check.lua").write_text(NVIM_CHECK, encoding="utf-8")
    subprocess.run(
        [nvim, "--headless", "-u", "NONE", "-i", "NONE", "-c", "luafile check.lua"],
        cwd=report, env={**os.environ, "REPORT": NAME}, timeout=120, capture_output=True,
    )
    got = (report / "diagnostics.txt").read_text(encoding="utf-8").splitlines()
    assert got == expected(report)
    assert any(g.startswith("CIT401|4|andmore") for g in got)


EGLOT_CHECK = """
(require 'eglot)
(unless (fboundp 'markdown-mode) (define-derived-mode markdown-mode text-mode "Markdown"))
(load-file "citelint-eglot.el")
(find-file (getenv "REPORT"))
(markdown-mode)
(apply #'eglot (eglot--guess-contact))
(let ((deadline (+ (float-time) 60)))
  (while (and (null (flymake-diagnostics)) (< (float-time) deadline))
    (accept-process-output nil 0.1)))
(let (out)
  (dolist (d (flymake-diagnostics))
    (let ((beg (flymake-diagnostic-beg d)))
      (push (format "%s|%d|%s" (car (split-string (flymake-diagnostic-text d) ":" t))
                    (line-number-at-pos beg)
                    (buffer-substring-no-properties beg (min (point-max) (+ beg 7))))
            out)))
  (with-temp-file "diagnostics.txt" (insert (mapconcat #'identity (sort out #'string<) "\\n") "\\n")))
(kill-emacs 0)
"""


def test_emacs_eglot_receives_the_diagnostics(report: Path) -> None:
    emacs = shutil.which("emacs")
    if emacs is None:
        pytest.skip("emacs is not installed")
    probe = subprocess.run([emacs, "-Q", "--batch", "--eval", "(princ (if (require 'eglot nil t) \"yes\" \"no\"))"],
                           capture_output=True, text=True, timeout=60)
    if probe.stdout.strip() != "yes":
        pytest.skip("this Emacs has no eglot (built in from Emacs 29)")
    (report / "citelint-eglot.el").write_text(snippet("emacs-eglot"), encoding="utf-8")
    (report / "check.el").write_text(EGLOT_CHECK, encoding="utf-8")
    subprocess.run([emacs, "-Q", "--batch", "-l", "check.el"], cwd=report, timeout=120, capture_output=True,
                   env={**os.environ, "REPORT": NAME})
    got = (report / "diagnostics.txt").read_text(encoding="utf-8").split("\n")
    # eglot shows "CODE: message" or the message with the source; the lines and places match.
    assert sorted(g.split("|", 1)[1] for g in got if g) == sorted(e.split("|", 1)[1] for e in expected(report))


def _serves_diagnostics(command: list[str], report: Path) -> None:
    client = Client(cwd=report, command=command)
    try:
        client.initialize(report)
        uri = (report / NAME).as_uri()
        client.open(uri, REPORT)
        codes = sorted(f"{d['code']}|{d['range']['start']['line'] + 1}" for d in client.diagnostics(uri))
        assert codes == sorted(e.rsplit("|", 1)[0] for e in expected(report))
    finally:
        client.close()


def test_helix_configuration_starts_the_server(report: Path) -> None:
    config = tomllib.loads(snippet("helix"))
    server = config["language-server"]["citelint"]
    (language,) = config["language"]
    assert language["name"] == "markdown" and "citelint" in language["language-servers"]
    _serves_diagnostics([shutil.which(server["command"]) or server["command"], *server["args"]], report)


def test_vscode_generic_client_settings_start_the_server(report: Path) -> None:
    settings = json.loads(snippet("vscode-lsp"))
    assert "markdown" in settings["glspc.server.languageId"]
    _serves_diagnostics([settings["glspc.server.command"], *settings["glspc.server.commandArguments"]], report)
