"""xAPI 1.0.3 statements checked exactly as the specification's Data part says.

Plain code: no nameko, no database. The gateway checks every statement at the edge
with :func:`check_statement` and the lrs service checks again what it is given. A
refused statement raises :class:`StatementInvalid` listing every broken rule, each a
:class:`Violation`: where (``path``, e.g. ``actor.mbox``), which rule (``rule``, a
short stable name, e.g. ``agent.mbox-mailto``) and what was wrong (``detail``).

One module per part of a statement, each a mixin of the checker: ``shapes`` (IRIs,
timestamps, language maps...), ``actors``, ``objects`` (the verb too), ``results``,
``context``, ``attachments`` (also what a request's attachment parts must be:
:func:`part_violations`); ``checker`` walks a whole statement.
"""

from .actors import IFIS
from .attachments import (
    SIGNATURE,
    Part,
    attachment_objects,
    part_violations,
    referenced_hashes,
    sha2_of,
)
from .checker import (
    VOIDED,
    agent_violations,
    check_statement,
    check_statements,
    is_iri,
    is_uuid,
    violations,
)
from .context import CONTEXT_ACTIVITY_KEYS
from .objects import (
    COMPONENT_LISTS,
    INTERACTION_COMPONENTS,
    INTERACTION_TYPES,
    STATEMENT_KEYS,
    SUB_STATEMENT_FORBIDDEN,
)
from .shapes import StatementInvalid, Violation

VERSION = "1.0.3"

__all__ = [
    "COMPONENT_LISTS", "CONTEXT_ACTIVITY_KEYS", "IFIS", "INTERACTION_COMPONENTS",
    "INTERACTION_TYPES", "STATEMENT_KEYS", "SUB_STATEMENT_FORBIDDEN", "VERSION",
    "VOIDED", "SIGNATURE", "Part", "StatementInvalid", "Violation", "agent_violations",
    "attachment_objects", "check_statement", "check_statements", "is_iri", "is_uuid",
    "part_violations", "referenced_hashes", "sha2_of", "violations",
]
