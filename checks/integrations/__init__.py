"""Integrations with other tools: checkov's AWS checks run in-process (checkov_bridge)."""
