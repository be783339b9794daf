"""Peer projects measured beside ours (each in a virtualenv of its own, never imported by the project)."""
