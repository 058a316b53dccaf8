"""The operations layer: Terraform driver, workspaces, the local emulator, demo, drift, unlock."""
