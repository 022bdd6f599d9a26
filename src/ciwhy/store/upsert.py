"""INSERT ... ON CONFLICT for SQLite and PostgreSQL alike: one statement, atomic under
concurrent writers (a second insert of the same key updates, it never duplicates)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import Connection, Table, case, func, literal_column
from sqlalchemy.dialects import postgresql, sqlite


def _insert(conn: Connection, table: Table) -> Any:
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    return dialect.insert(table)


_STATEMENTS: dict[tuple[Any, ...], Any] = {}


def upsert(
    conn: Connection,
    table: Table,
    rows: list[dict[str, Any]] | dict[str, Any],
    keys: Iterable[str],
    *,
    replace: Iterable[str] = (),
    keep: Iterable[str] = (),
    custom: Mapping[str, Any] | None = None,
    returning: Any = None,
) -> Any:
    """Insert `rows`; on a conflict over `keys`, set each `replace` column to the new value and
    each `keep` column to the new value unless it is NULL (COALESCE: a partial report never
    erases what is known). `custom` maps columns to functions of `ex` (the new row) giving
    their expressions. The statement is built once per shape and reused (building one costs
    more than running it): a call site must always give the same `custom` per column."""
    keys, replace, keep = tuple(keys), tuple(replace), tuple(keep)
    cache_key = (conn.dialect.name, table.name, keys, replace, keep,
                 tuple(sorted(custom or ())), tuple(str(c) for c in returning or ()))  # fmt: skip
    stmt = _STATEMENTS.get(cache_key)
    if stmt is None:
        stmt = _insert(conn, table)
        ex = stmt.excluded
        sets: dict[str, Any] = {c: ex[c] for c in replace}
        sets.update({c: func.coalesce(ex[c], table.c[c]) for c in keep})
        if custom:
            sets.update({c: f(ex) for c, f in custom.items()})
        stmt = stmt.on_conflict_do_update(index_elements=list(keys), set_=sets)
        if returning is not None:
            stmt = stmt.returning(*returning)
        _STATEMENTS[cache_key] = stmt
    return conn.execute(stmt, rows)


def unless_final(table: Table, column: str, final: Iterable[str]) -> Any:
    """An `custom` expression: the new value, except that a stored final value is not replaced
    by a non-final one (a late `running` after `failure` is ignored) and NULL keeps the old."""
    # Inlined constants: an IN list of bound parameters cannot go with executemany().
    values: list[Any] = [literal_column("'" + v.replace("'", "''") + "'") for v in final]

    def expr(ex: Any) -> Any:
        old, new = table.c[column], ex[column]
        return case(
            (new.is_(None), old),
            (old.in_(values) & new.not_in(values), old),
            else_=new,
        )

    return expr
