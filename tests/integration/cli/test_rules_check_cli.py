"""`garrison rules check | test | fmt` on files: exit codes, every error shown, canonical form."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner, Result

from garrison.entrypoints.cli.rules_check import check_rules, format_rules, run_rule_tests
from garrison.rulepacks import read_pack

Run = Callable[..., Result]

GOOD = """\
[[rule]]
name = "declines"
policy = "fraud.card_testing"
verdict = "block"
when = '''
type == "payment.attempt"
and attr.result == "declined"
and count("account", "1h", "payment.attempt") >= 3
'''

[[rule.example]]
name = "third decline"
event = { type = "payment.attempt", entities = { account = "a1" }, attributes = DECLINED }
signals = { 'count("account", "1h", "payment.attempt")' = 3 }
expect = "fire"
""".replace("DECLINED", '{ result = "declined" }')

BAD = """\
[[rule]]
name = "typos"
policy = "p"
when = '''
type == "payment.attempt"
and attr.amount > 5
and attr.result == 1
'''

[[rule]]
name = "never"
policy = "p"
verdict = "blok"
when = 'type == "payment.attempt" and type == "api.usage"'
"""


@pytest.fixture
def run(monkeypatch: pytest.MonkeyPatch) -> Run:
    monkeypatch.delenv("GARRISON_SCHEMAS_PATH", raising=False)
    app = typer.Typer()
    app.command("check")(check_rules)
    app.command("test")(run_rule_tests)
    app.command("fmt")(format_rules)
    runner = CliRunner()

    def invoke(*args: str | Path) -> Result:
        return runner.invoke(app, [str(arg) for arg in args])

    return invoke


def write(tmp_path: Path, text: str, name: str = "rules.toml") -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def test_check_prints_one_ok_line_per_good_file(run: Run, tmp_path: Path) -> None:
    result = run("check", write(tmp_path, GOOD))

    assert result.exit_code == 0, result.output
    assert result.stdout == (
        f"ok: {tmp_path / 'rules.toml'}: 1 rules, 1 examples, 0 tests; signals: 1 velocity, "
        "0 lists, 0 label kinds, 0 models, 0 enrichment fields\n"
    )


def test_check_prints_every_error_with_its_place_and_fails(run: Run, tmp_path: Path) -> None:
    path = write(tmp_path, BAD)

    result = run("check", path)

    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert lines[0] == (
        f"{path}:6:5: payment.attempt events have no attribute 'amount' "
        "(did you mean attr.amount_usd?)"
    )
    assert lines[1:3] == ["and attr.amount > 5", "    ^~~~~~~~~~~"]
    assert f"{path}:7:5: type error: compares str with number: never equal" in lines[3]
    assert f"{path}:13:11: unknown verdict 'blok'" in result.stderr
    assert f"{path}:14:39: the rule can never fire" in result.stderr
    assert lines[-1] == f"4 errors in {path}"
    assert result.stdout == ""


def test_check_uses_the_schemas_given(run: Run, tmp_path: Path) -> None:
    schemas = write(
        tmp_path,
        '[event."payment.attempt"]\nentities = ["account"]\nattributes = { amount = "float" }\n',
        "s.toml",
    )
    text = GOOD.replace('attr.result == "declined"', "attr.amount > 1")
    rules = write(tmp_path, text.replace('result = "declined"', "amount = 2.0"))

    assert run("check", rules, "--schemas", schemas).exit_code == 0
    failed = run("check", rules)
    assert failed.exit_code == 1
    assert "no attribute 'amount'" in failed.stderr


def test_check_reports_a_broken_schema_file(run: Run, tmp_path: Path) -> None:
    schemas = write(tmp_path, '[event."x"]\nattributes = { a = "text" }\n', "s.toml")

    result = run("check", write(tmp_path, GOOD), "--schemas", schemas)

    assert result.exit_code == 1
    assert result.stderr.startswith(f"{schemas}:2:20: attribute 'a' has unknown type 'text'")


def test_check_refuses_a_missing_file(run: Run, tmp_path: Path) -> None:
    result = run("check", tmp_path / "nope.toml")

    assert result.exit_code == 2
    assert "does not exist" in result.output


def test_the_starter_pack_checks_and_its_tests_pass(run: Run, tmp_path: Path) -> None:
    path = write(tmp_path, read_pack("starter.toml"))

    assert run("check", path).exit_code == 0
    result = run("test", path)

    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[-1] == "31 passed, 0 failed"
    assert "PASS example card_testing_account / fifth card in an hour, declined: fired" in (
        result.stdout
    )


def test_test_prints_failures_with_their_reason(run: Run, tmp_path: Path) -> None:
    text = GOOD.replace("= 3 }", "= 2 }") + (
        '\n[[test]]\nname = "three declines"\nevents = [\n'
        + '  { type = "payment.attempt", entities = { account = "a1" }, '
        'attributes = { result = "declined" } },\n'
        * 3
        + ']\nexpect_verdicts = ["allow", "allow", "allow"]\n'
    )

    result = run("test", write(tmp_path, text))

    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "FAIL example declines / third decline: did not fire (expected to fire); read "
        "attr.result='declined', count(account, 1h, payment.attempt)=2",
        "FAIL test three declines: event 3 (payment.attempt): got block, expected allow "
        "(declines fired)",
        "0 passed, 2 failed",
    ]


def test_test_stops_at_check_errors(run: Run, tmp_path: Path) -> None:
    result = run("test", write(tmp_path, BAD))

    assert result.exit_code == 1
    assert "4 errors in" in result.stderr


def test_fmt_rewrites_a_file_in_canonical_form(run: Run, tmp_path: Path) -> None:
    path = write(tmp_path, GOOD)

    checked = run("fmt", "--check", path)
    assert checked.exit_code == 1
    assert "is not canonical" in checked.stderr
    assert path.read_text() == GOOD

    formatted = run("fmt", path)
    assert formatted.exit_code == 0
    assert formatted.stdout == f"formatted {path}\n"
    assert 'stage = "live"\nverdict = "block"\nscore = 0.0\n' in path.read_text()

    again = run("fmt", "--check", path)
    assert again.exit_code == 0
    assert again.stdout == f"{path} is canonical\n"


def test_fmt_warns_about_comments_it_cannot_keep(run: Run, tmp_path: Path) -> None:
    path = write(
        tmp_path, "# kept\n" + GOOD.replace('verdict = "block"\n', '# lost\nverdict = "block"\n')
    )

    result = run("fmt", path)

    assert result.exit_code == 0
    assert "1 comment line inside tables are not kept" in result.stderr
    assert path.read_text().startswith("# kept\n[[rule]]\n")


def test_fmt_refuses_a_file_with_errors(run: Run, tmp_path: Path) -> None:
    path = write(tmp_path, "[[rule]]\nname = 'a'\n")

    result = run("fmt", path)

    assert result.exit_code == 1
    assert "the rule has no 'policy'" in result.stderr
    assert path.read_text() == "[[rule]]\nname = 'a'\n"


def test_the_shipped_starter_pack_is_canonical(run: Run) -> None:
    path = Path(__file__).resolve().parents[3] / "src" / "garrison" / "rulepacks" / "starter.toml"

    assert run("fmt", "--check", path).exit_code == 0
