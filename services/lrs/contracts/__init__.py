"""What the lrs service publishes for others: its events (``events``), its RPC
requests and answers (``rpc``), its errors (``errors``) and the xAPI statement rules
(``statements``).

Plain code: no nameko, nothing of the service's domain, models or entrypoints. The
gateway imports these modules and nothing else of the service
(``tests/unit/test_import_rules.py``).
"""
