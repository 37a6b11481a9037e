def test_minimal_journal_is_clean(journal, run):
    result = run("check", str(journal))
    assert result.exit_code == 0, result.output
    assert "2 records checked: no problems" in result.output
