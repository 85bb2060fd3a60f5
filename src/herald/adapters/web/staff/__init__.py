"""The staff wing under ``/staff``: sign-in and sessions, one module per staff area."""
