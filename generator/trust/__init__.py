"""The trust core: canonical JSON, Data Integrity proofs, keys and the key chain, the DID document,
status lists and the verification checklist.

Pure functions over parsed values: nothing here reads or writes files, and nothing here touches a
private key (signing is a callable handed in by the issuer's side).
"""
