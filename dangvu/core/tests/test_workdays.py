from datetime import date

from dangvu.core.workdays import add_working_days, is_working_day, working_days_between


def test_weekends_and_tet_are_not_working_days():
    assert not is_working_day(date(2026, 11, 21))  # Saturday
    assert not is_working_day(date(2026, 2, 17))  # Tết Bính Ngọ
    assert is_working_day(date(2026, 11, 23))


def test_thirty_working_days_skip_tet():
    # From Friday 06/02/2026: Tết closes 16–20/02, so 30 working days end on 27/03/2026.
    due = add_working_days(date(2026, 2, 6), 30)
    assert due == date(2026, 3, 27)
    assert working_days_between(date(2026, 2, 6), due) == 30


def test_zero_days_is_the_same_day():
    assert add_working_days(date(2026, 5, 4), 0) == date(2026, 5, 4)
    assert working_days_between(date(2026, 5, 4), date(2026, 5, 1)) == 0
