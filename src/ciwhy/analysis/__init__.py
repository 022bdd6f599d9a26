"""The analysis engine: text in, frozen dataclasses out. Pure: no web, storage or network.

from ciwhy.analysis import analyse
result = analyse(open("build.log", "rb").read())
"""

from ciwhy.analysis.engine import analyse

__all__ = ["analyse"]
