"""What the onboarding service publishes for others: its events (``events``), its RPC
requests and answers (``rpc``) and its errors (``errors``), and the
links its mails give that the gateway serves (``links``).

Plain code: no nameko, nothing of the service's domain, models or entrypoints. The
gateway and the other services import these modules and nothing else of the service
(``tests/unit/test_import_rules.py``).
"""
