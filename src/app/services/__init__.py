"""Use cases, one module per capability, written against the ports in ports.py."""
