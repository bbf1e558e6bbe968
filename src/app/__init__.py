"""demosim: a demo mode that behaves exactly like live mode."""
