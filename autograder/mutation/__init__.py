"""Mutation testing of the checks' catalogue of mistakes (a development tool).

For every graded check, single-point AST edits of its correct learner's code
(:mod:`.operators`) make wrong learners a person plausibly writes; each is run through the
real check (probe and judge, in-process) and classified (:mod:`.runner`): named, generic,
raised, missed or equivalent. :mod:`.report` prints the table; ``python -m
autograder.mutation`` runs it. See README.md beside this file for the report and its use.
"""

from .runner import OUTCOMES, CheckReport, run_all, run_check

__all__ = ["OUTCOMES", "CheckReport", "run_all", "run_check"]
