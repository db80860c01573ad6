"""What the licensing service publishes for others: its events (``events``), its RPC
requests and answers (``rpc``) and its errors (``errors``).

Plain code: no nameko, nothing of the service's domain, models or entrypoints. The
gateway and the other services import these modules and nothing else of the service
(``tests/unit/test_import_rules.py``).
"""
