"""The issuer's operations: init, issue, revoke, rotate, reissue.

The only code that touches private keys (``credsite.issuer.keys``); the build and the verifier
never import it (tests/test_architecture.py reads the import graph and fails if they do).
"""
