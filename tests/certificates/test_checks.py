from certificates import checks


def test_no_warning_when_harfbuzz_subset_is_installed(monkeypatch):
    monkeypatch.setattr(checks, "harfbuzz_subset_available", lambda: True)
    assert checks.check_harfbuzz_subset() == []


def test_a_warning_when_harfbuzz_subset_is_missing(monkeypatch):
    monkeypatch.setattr(checks, "harfbuzz_subset_available", lambda: False)
    messages = checks.check_harfbuzz_subset()
    assert [message.id for message in messages] == ["certificates.W001"]
    assert messages[0].level == 30  # WARNING: `check --deploy` still passes
    assert "libharfbuzz-subset0" in messages[0].hint


def test_this_machine_has_it():
    assert checks.harfbuzz_subset_available() is True
