import pytest

from bench.report import Column, markdown_table


def test_table_right_aligns_numeric_columns_and_prints_empty_cells_as_dashes():
    columns = [Column("Measurement"), Column("req/s", numeric=True)]

    table = markdown_table(columns, [["Page `/`", "1,595"], ["First visit", None]])

    assert table.splitlines() == [
        "| Measurement | req/s |",
        "| --- | ---: |",
        "| Page `/` | 1,595 |",
        "| First visit | — |",
    ]


def test_table_refuses_a_row_with_the_wrong_number_of_cells():
    with pytest.raises(ValueError, match="1 cells for 2 columns"):
        markdown_table([Column("Measurement"), Column("Result")], [["only one"]])
